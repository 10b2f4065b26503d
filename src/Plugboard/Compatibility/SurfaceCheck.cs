using Plugboard.Metadata;

namespace Plugboard.Compatibility;

/// <summary>
/// Checks every type and member an assembly references in the host's API against the API this host has, as the
/// runtime will bind them: by full signature, through type forwarders, with accessibility.
/// </summary>
internal static class SurfaceCheck
{
    /// <param name="surface">The host's API surface.</param>
    /// <param name="isApi">Whether references into an assembly (by simple name) are judged: the host API's assemblies.</param>
    /// <param name="user">The plugin assembly (or one of its private dependencies).</param>
    /// <param name="findings">Where problems go.</param>
    public static void Run(ApiSurface surface, Func<string, bool> isApi, AssemblyFacts user, SurfaceFindings findings)
    {
        foreach (TypeUse use in user.TypeUses)
        {
            if (!isApi(use.Assembly))
            {
                continue;
            }
            switch (surface.Resolve(use.Assembly, use.FullName).Kind)
            {
                case TypeBindingKind.Missing:
                    findings.AddMissing($"type {use.FullName}");
                    break;
                case TypeBindingKind.NotAccessible:
                    findings.AddInaccessible($"type {use.FullName} is not public in this host's API");
                    break;
            }
        }
        foreach (MemberUse use in user.MemberUses)
        {
            if (!isApi(use.Assembly))
            {
                continue;
            }
            TypeBinding type = surface.Resolve(use.Assembly, use.TypeFullName);
            if (type.Kind == TypeBindingKind.Missing)
            {
                findings.AddMissing(use.Display);
                continue;
            }
            if (type.Kind != TypeBindingKind.Found)
            {
                // An inaccessible type is reported once, as a type; the framework is not judged.
                continue;
            }
            string key = use.Name + " " + use.Signature;
            if (surface.FindMember(type, key, out bool unknown) is not var (member, declaring))
            {
                if (!unknown && !ApiSurface.IsObjectMember(key))
                {
                    findings.AddMissing(use.Display);
                }
                continue;
            }
            if (member.Access == MemberAccess.NotVisible
                || (member.Access == MemberAccess.Family && !user.Types.Values.Any(t => surface.DerivesFrom(user, t, declaring))))
            {
                string access = member.Access == MemberAccess.Family ? "protected, and no type of the plugin derives from " + declaring.FullName : "not public";
                findings.AddInaccessible($"{use.Display} is {access} in this host's API");
            }
        }
    }
}
