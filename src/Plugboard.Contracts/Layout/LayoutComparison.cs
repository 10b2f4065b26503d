using System.Globalization;

namespace Plugboard.Contracts.Layout;

/// <summary>
/// Compares layouts under the one rule of the ABI: within an interface id (or a struct's name) members may only be
/// appended; removing, reordering or retyping one needs a new id (<c>notebook.notes/2</c>). Every change names the
/// first member that differs.
/// </summary>
public static class LayoutComparison
{
    /// <summary>Every difference between two builds of a host API, interfaces matched by id, structs and enums by name.</summary>
    /// <param name="baseline">The build plugins were compiled against.</param>
    /// <param name="current">The new build.</param>
    /// <returns>The changes; empty when every layout is identical.</returns>
    public static IReadOnlyList<LayoutChange> Compare(ContractModel baseline, ContractModel current)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var changes = new List<LayoutChange>();
        foreach (ContractInterface before in baseline.Interfaces)
        {
            ContractInterface? after = current.FindInterface(before.Id);
            if (after is null)
            {
                changes.Add(new LayoutChange(before.Id, LayoutChangeKind.Removed, null, $"the interface ({before.FullName}) is no longer exported; plugins built against it find no table."));
                continue;
            }
            LayoutChange? change = CompareMembers(before.Id, before.Methods, after.Methods, m => m.Signature, m => m.DisplayName, NewIdHint(before));
            if (change is not null)
            {
                changes.Add(change);
            }
        }
        foreach (SharedStruct before in baseline.Structs)
        {
            SharedStruct? after = current.FindStruct(before.FullName);
            LayoutChange? change = after is null
                ? new LayoutChange(before.FullName, LayoutChangeKind.Removed, null, "the shared struct is gone.")
                : CompareMembers(before.FullName, before.Fields, after.Fields, f => f.Signature, f => f.Name, "Fields may only be appended (the struct_size rule); any other change needs a new struct (and new ids for the interfaces that pass it).");
            if (change is not null)
            {
                changes.Add(change);
            }
        }
        foreach (SharedEnum before in baseline.Enums)
        {
            LayoutChange? change = CompareEnum(before, current.FindEnum(before.FullName));
            if (change is not null)
            {
                changes.Add(change);
            }
        }
        return changes;
    }

    /// <summary>
    /// Checks the member hashes a plugin's bindings recorded (the <c>..._MEMBER_HASHES</c> of the emitted header) against
    /// this build's interface: compatible when they equal this build's first members, in order.
    /// </summary>
    /// <param name="current">The host's interface.</param>
    /// <param name="recordedMemberHashes">The plugin's recorded hashes, one per member it knows.</param>
    /// <returns>Null when compatible; otherwise the change, naming the first member that differs.</returns>
    public static LayoutChange? CheckRecorded(ContractInterface current, IReadOnlyList<ulong> recordedMemberHashes)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(recordedMemberHashes);
        for (int i = 0; i < recordedMemberHashes.Count; i++)
        {
            if (i >= current.Methods.Count)
            {
                return new LayoutChange(current.Id, LayoutChangeKind.Incompatible, null,
                    $"the plugin was built against {recordedMemberHashes.Count} members and this host has {current.Methods.Count}: member {Ordinal(i)} is unknown here (the plugin was built against a newer host API). {NewIdHint(current)}");
            }
            if (current.Methods[i].LayoutHash != recordedMemberHashes[i])
            {
                ContractMethod method = current.Methods[i];
                return new LayoutChange(current.Id, LayoutChangeKind.Incompatible, method.DisplayName,
                    $"member {Ordinal(i)} ({method.Signature}, hash {LayoutHash.Format(method.LayoutHash)}) differs from the plugin's build (hash {LayoutHash.Format(recordedMemberHashes[i])}). {NewIdHint(current)}");
            }
        }
        return null;
    }

    /// <summary>The incompatible changes as diagnostics (<see cref="ContractDiagnosticIds.IncompatibleLayout"/>).</summary>
    /// <param name="changes">Changes from <see cref="Compare"/>.</param>
    /// <returns>One error per incompatible change.</returns>
    public static IReadOnlyList<ContractDiagnostic> ToDiagnostics(IEnumerable<LayoutChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return [.. changes.Where(c => !c.IsCompatible).Select(c => new ContractDiagnostic(ContractDiagnosticIds.IncompatibleLayout, ContractDiagnosticSeverity.Error, c.Member is null ? c.Subject : $"{c.Subject} {c.Member}", c.Message))];
    }

    private static LayoutChange? CompareMembers<T>(string subject, IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> signature, Func<T, string> display, string hint)
    {
        for (int i = 0; i < before.Count; i++)
        {
            if (i >= after.Count)
            {
                return new LayoutChange(subject, LayoutChangeKind.Incompatible, display(before[i]),
                    $"member {Ordinal(i)} ({signature(before[i])}) was removed. {hint}");
            }
            if (!string.Equals(signature(before[i]), signature(after[i]), StringComparison.Ordinal))
            {
                return new LayoutChange(subject, LayoutChangeKind.Incompatible, display(before[i]),
                    $"member {Ordinal(i)} was {display(before[i])} ({signature(before[i])}) and is now {display(after[i])} ({signature(after[i])}). {hint}");
            }
        }
        if (after.Count > before.Count)
        {
            return new LayoutChange(subject, LayoutChangeKind.Appended, display(after[before.Count]),
                $"{after.Count - before.Count} member(s) appended from {display(after[before.Count])} on: compatible, plugins built against the first {before.Count} keep working.");
        }
        return null;
    }

    private static LayoutChange? CompareEnum(SharedEnum before, SharedEnum? after)
    {
        if (after is null)
        {
            return new LayoutChange(before.FullName, LayoutChangeKind.Removed, null, "the shared enum is gone.");
        }
        if (after.Underlying != before.Underlying)
        {
            return new LayoutChange(before.FullName, LayoutChangeKind.Incompatible, null,
                $"the underlying type changed from {ContractShape.ForScalar(before.Underlying).Display} to {ContractShape.ForScalar(after.Underlying).Display}; it needs a new enum.");
        }
        foreach (SharedEnumMember member in before.Members)
        {
            SharedEnumMember? now = after.Members.FirstOrDefault(m => string.Equals(m.Name, member.Name, StringComparison.Ordinal));
            if (now is null || now.Value != member.Value)
            {
                string what = now is null ? "was removed" : $"changed from {member.Value.ToString(CultureInfo.InvariantCulture)} to {now.Value.ToString(CultureInfo.InvariantCulture)}";
                return new LayoutChange(before.FullName, LayoutChangeKind.Incompatible, member.Name, $"the value {what}; values may only be added.");
            }
        }
        return after.Members.Count > before.Members.Count
            ? new LayoutChange(before.FullName, LayoutChangeKind.Appended, after.Members[before.Members.Count].Name, $"{after.Members.Count - before.Members.Count} value(s) added: compatible.")
            : null;
    }

    private static string NewIdHint(ContractInterface shape) =>
        $"Appending members keeps '{shape.Id}' compatible; any other change needs a new interface id ('{shape.Name}/{(shape.Major + 1).ToString(CultureInfo.InvariantCulture)}').";

    private static string Ordinal(int index) => "#" + (index + 1).ToString(CultureInfo.InvariantCulture);
}
