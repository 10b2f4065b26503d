using Plugboard.Metadata;

namespace Plugboard.Compatibility;

/// <summary>
/// What a new build of a host API breaks for plugins built against the old one, by the rules the plugin check uses:
/// every public type and public or protected member of the old API must bind in the new one (same signature, still
/// accessible, through forwarders), no interface or abstract class may gain an abstract member (plugins implement
/// them), and no class plugins may derive from may become sealed.
/// </summary>
internal static class ApiDiff
{
    public static List<HostApiBreak> Compare(HostApi oldApi, HostApi newApi)
    {
        var breaks = new List<HostApiBreak>();
        foreach (AssemblyFacts old in oldApi.ApiAssemblies.Values)
        {
            string assembly = old.Name.Name!;
            foreach (TypeFacts type in old.Types.Values.Where(t => t.IsPublic).OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                TypeBinding now = newApi.Surface.Resolve(assembly, type.FullName);
                if (now.Kind == TypeBindingKind.NotVisibleToCheck)
                {
                    continue;
                }
                if (now.Type is not TypeFacts current)
                {
                    breaks.Add(new HostApiBreak(type.FullName, null, "the type was removed (or renamed, or moved without [TypeForwardedTo])"));
                    continue;
                }
                if (now.Kind == TypeBindingKind.NotAccessible)
                {
                    breaks.Add(new HostApiBreak(type.FullName, null, "the type is no longer public"));
                    continue;
                }
                if (current.IsSealed && !type.IsSealed)
                {
                    breaks.Add(new HostApiBreak(type.FullName, null, "the class became sealed: plugin classes deriving from it no longer load"));
                }
                foreach (MemberFacts member in type.Members.Values.Where(m => m.Access != MemberAccess.NotVisible).OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    if (newApi.Surface.FindMember(now, member.Key, out bool unknown) is not var (found, _))
                    {
                        if (!unknown)
                        {
                            breaks.Add(new HostApiBreak(type.FullName, Describe(member), "the member was removed or its signature changed"));
                        }
                    }
                    else if (found.Access < member.Access)
                    {
                        breaks.Add(new HostApiBreak(type.FullName, Describe(member), found.Access == MemberAccess.Family ? "the member became protected" : "the member is no longer accessible (internal or private)"));
                    }
                }
                if (type.IsInterface || type.IsAbstract)
                {
                    foreach (MemberFacts added in current.AbstractMethods.Where(m => !type.Members.TryGetValue(m.Key, out MemberFacts? before) || !before.IsAbstract).OrderBy(m => m.Key, StringComparer.Ordinal))
                    {
                        breaks.Add(new HostApiBreak(type.FullName, Describe(added),
                            type.IsInterface ? "the interface gained an abstract member: plugin types implementing it no longer load" : "the abstract class gained an abstract member: plugin classes deriving from it no longer load"));
                    }
                }
            }
        }
        return breaks;
    }

    private static string Describe(MemberFacts member)
    {
        if (member.IsField)
        {
            return $"{SignatureText.Display(member.ReturnType)} {member.Name}";
        }
        string modifier = member.IsStatic ? "static " : string.Empty;
        return $"{modifier}{SignatureText.Display(member.ReturnType)} {member.Name}({string.Join(", ", member.ParameterTypes.Select(SignatureText.Display))})";
    }
}
