namespace Plugboard.Contracts.Layout;

/// <summary>What happened to an interface, struct or enum between two builds of a host API.</summary>
public enum LayoutChangeKind
{
    /// <summary>Members were appended: compatible (the <c>struct_size</c> rule), the id stays.</summary>
    Appended,
    /// <summary>A member was removed, reordered or retyped: plugins built against the old layout would call the wrong thing. Needs a new id.</summary>
    Incompatible,
    /// <summary>The interface, struct or enum is gone.</summary>
    Removed,
}
