using Plugboard.Metadata;

namespace Plugboard.Compatibility;

/// <summary>
/// Implementation completeness, as the runtime checks it when it loads a type: every abstract member of every host
/// API interface a plugin type implements, and of every abstract API class it derives from, must have an
/// implementation with the exact signature: an explicit one (MethodImpl, e.g. <c>IHandler&lt;Money&gt;.Handle</c>),
/// or a public virtual method of the same name and signature (static for static abstract members) on the type or a
/// base. Default interface methods need none. A sealed API base class cannot be derived from at all.
/// </summary>
internal static class ImplementationCheck
{
    private const int MaxHops = 64;

    public static void Run(ApiSurface surface, Func<string, bool> isApi, AssemblyFacts user, SurfaceFindings findings)
    {
        foreach (TypeFacts type in user.Types.Values)
        {
            if (type.IsInterface || (type.Interfaces.Count == 0 && type.BaseType?.FullName is null or "System.Object" or "System.ValueType" or "System.Enum" or "System.MulticastDelegate"))
            {
                // No interface and a root base (closures, records of data, delegates): nothing the API requires of it.
                continue;
            }
            List<Level> chain = Chain(surface, user, type, out bool chainKnown);
            if (chain.Count > 1 && chain[1].Api && isApi(chain[1].Owner.Name.Name!))
            {
                TypeFacts parent = chain[1].Type;
                if (parent.IsSealed)
                {
                    findings.AddNotImplemented($"{type.FullName} derives from {SignatureText.Display(type.BaseTypeText ?? parent.FullName)}, which is sealed in this host's API");
                }
                else if (!parent.IsPublic)
                {
                    findings.AddInaccessible($"type {parent.FullName} (the base class of {type.FullName}) is not public in this host's API");
                }
            }
            foreach ((InterfaceUse contract, TypeBinding binding) in ApiInterfaces(surface, isApi, user, type))
            {
                foreach (MemberFacts required in binding.Type!.AbstractMethods)
                {
                    if (!chainKnown || IsImplemented(chain, contract, required) || HasDefault(surface, user, type, contract, required))
                    {
                        continue;
                    }
                    findings.AddNotImplemented($"{type.FullName} does not implement {Describe(contract, required)}");
                }
            }
            if (!type.IsAbstract && chainKnown)
            {
                CheckAbstractBases(chain, isApi, type, findings);
            }
        }
    }

    /// <summary>A type of the chain from the plugin type up: its facts, the assembly defining it, and the arguments its subtype passes it.</summary>
    private sealed record Level(TypeFacts Type, AssemblyFacts Owner, bool Api, string Text, IReadOnlyList<string> Arguments);

    private static List<Level> Chain(ApiSurface surface, AssemblyFacts user, TypeFacts type, out bool known)
    {
        var chain = new List<Level> { new(type, user, false, type.FullName, []) };
        known = true;
        for (int hops = 0; hops < MaxHops; hops++)
        {
            Level last = chain[^1];
            if (last.Type.BaseType is not TypeName baseName || baseName.FullName == "System.Object")
            {
                return chain;
            }
            TypeBinding next = surface.Resolve(last.Owner, baseName);
            if (next.Type is null)
            {
                // A framework base (System.Exception...) or a type the check cannot see: it may implement anything.
                known = next.Kind == TypeBindingKind.Missing || baseName.FullName is "System.ValueType" or "System.Enum";
                return chain;
            }
            bool api = last.Api || baseName.Assembly is not null;
            chain.Add(new Level(next.Type, next.Assembly!, api, last.Type.BaseTypeText ?? baseName.FullName, last.Type.BaseTypeArguments));
        }
        return chain;
    }

    /// <summary>The host API interfaces the type declares, with every API base interface they have in this host (new ones included).</summary>
    private static List<(InterfaceUse, TypeBinding)> ApiInterfaces(ApiSurface surface, Func<string, bool> isApi, AssemblyFacts user, TypeFacts type)
    {
        var result = new List<(InterfaceUse, TypeBinding)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(InterfaceUse Use, AssemblyFacts Owner)>(type.Interfaces.Select(i => (i, user)));
        while (pending.Count > 0 && result.Count < 1024)
        {
            (InterfaceUse use, AssemblyFacts owner) = pending.Pop();
            TypeBinding binding = surface.Resolve(owner, use.Definition);
            bool apiType = !ReferenceEquals(owner, user) || (use.Definition.Assembly is string a && isApi(a));
            if (!apiType || binding.Type is null || !seen.Add(use.Text))
            {
                continue;
            }
            result.Add((use, binding));
            foreach (InterfaceUse inherited in binding.Type.Interfaces)
            {
                // The API interface's own base interfaces, in terms of this instantiation's arguments.
                pending.Push((inherited with
                {
                    Text = SignatureText.Substitute(inherited.Text, use.Arguments),
                    Arguments = [.. inherited.Arguments.Select(a => SignatureText.Substitute(a, use.Arguments))],
                }, binding.Assembly!));
            }
        }
        return result;
    }

    private static bool IsImplemented(List<Level> chain, InterfaceUse contract, MemberFacts required)
    {
        string explicitKey = contract.Text + "::" + required.Key;
        string implicitKey = required.Name + " " + SignatureText.Substitute(required.Signature, contract.Arguments);
        foreach (Level level in chain)
        {
            if (level.Type.ExplicitImplementations.Contains(explicitKey))
            {
                return true;
            }
            if (level.Type.Members.TryGetValue(implicitKey, out MemberFacts? candidate) && !candidate.IsField
                && candidate.Access == MemberAccess.Public && candidate.IsStatic == required.IsStatic
                && (required.IsStatic || candidate.IsVirtual))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Another interface of the type may supply a default implementation of the member (a MethodImpl in the interface).</summary>
    private static bool HasDefault(ApiSurface surface, AssemblyFacts user, TypeFacts type, InterfaceUse contract, MemberFacts required)
    {
        string explicitKey = contract.Text + "::" + required.Key;
        return type.Interfaces.Any(i => surface.Resolve(user, i.Definition).Type is TypeFacts other && other.ExplicitImplementations.Contains(explicitKey)
            && other.Members.Values.Any(m => !m.IsAbstract && m.Name.EndsWith("." + required.Name, StringComparison.Ordinal)));
    }

    private static void CheckAbstractBases(List<Level> chain, Func<string, bool> isApi, TypeFacts type, SurfaceFindings findings)
    {
        for (int i = 1; i < chain.Count; i++)
        {
            Level apiBase = chain[i];
            if (!apiBase.Api || !apiBase.Type.IsAbstract || !isApi(apiBase.Owner.Name.Name!))
            {
                continue;
            }
            foreach (MemberFacts required in apiBase.Type.AbstractMethods)
            {
                string explicitKey = apiBase.Text + "::" + required.Key;
                string key = required.Name + " " + SignatureText.Substitute(required.Signature, apiBase.Arguments);
                bool implemented = false;
                for (int j = 0; j < i && !implemented; j++)
                {
                    TypeFacts below = chain[j].Type;
                    implemented = below.ExplicitImplementations.Contains(explicitKey)
                        || (below.Members.TryGetValue(key, out MemberFacts? candidate) && candidate.IsVirtual && !candidate.IsAbstract);
                }
                if (!implemented)
                {
                    findings.AddNotImplemented($"{type.FullName} does not override {Describe(new InterfaceUse(default, apiBase.Text, apiBase.Arguments), required)}");
                }
            }
        }
    }

    /// <summary>The member in C# syntax: <c>void CaseApi.IHandler&lt;CaseApi.Money&gt;.Reset()</c>.</summary>
    private static string Describe(InterfaceUse owner, MemberFacts member)
    {
        string Show(string text) => SignatureText.Display(SignatureText.Substitute(text, owner.Arguments));
        string parameters = string.Join(", ", member.ParameterTypes.Select(Show));
        string modifier = member.IsStatic ? "static abstract " : string.Empty;
        return $"{modifier}{Show(member.ReturnType)} {SignatureText.Display(owner.Text)}.{member.Name}({parameters})";
    }
}
