namespace Plugboard.Contracts;

/// <summary>
/// One function of an exported interface's table: a C# method or property accessor. In the table it takes the
/// object's context first, then its parameters, then its output (out pointer or sink), and returns a status.
/// </summary>
public sealed class ContractMethod
{
    /// <summary>Creates a method.</summary>
    /// <param name="name">The C# method name (<c>AddTag</c>; <c>get_Name</c> for a property getter).</param>
    /// <param name="displayName">The member as the host author knows it, for messages (<c>AddTag(string)</c>, <c>Name { get; }</c>).</param>
    /// <param name="parameters">The parameters, in order.</param>
    /// <param name="returns">The return shape.</param>
    /// <param name="documentation">What the XML docs say.</param>
    public ContractMethod(string name, string displayName, IReadOnlyList<ContractParameter> parameters, ContractShape returns, MemberDocumentation documentation)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Name = name;
        DisplayName = displayName;
        Parameters = parameters;
        Returns = returns;
        Documentation = documentation;
        NativeName = Bindings.NativeNames.Snake(name);
        // Parameter names are left out: renaming one changes no binary layout.
        Signature = $"{NativeName}({string.Join(", ", parameters.Select(p => p.Shape.Canonical))}) -> {returns.Canonical}";
        LayoutHash = Layout.LayoutHash.Of(Signature);
    }

    /// <summary>The C# method name (<c>get_Name</c> for a property getter).</summary>
    public string Name { get; }

    /// <summary>The member as the host author knows it (<c>AddTag(string)</c>, <c>Name { get; }</c>).</summary>
    public string DisplayName { get; }

    /// <summary>The function's name in the bindings: <c>add_tag</c>, <c>get_name</c>.</summary>
    public string NativeName { get; }

    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<ContractParameter> Parameters { get; }

    /// <summary>The return shape.</summary>
    public ContractShape Returns { get; }

    /// <summary>What the XML docs say.</summary>
    public MemberDocumentation Documentation { get; }

    /// <summary>The canonical ABI signature the member's hash is computed from: <c>add_tag(utf8) -> void</c>.</summary>
    public string Signature { get; }

    /// <summary>The member's layout hash (of <see cref="Signature"/>).</summary>
    public ulong LayoutHash { get; }

    /// <inheritdoc />
    public override string ToString() => DisplayName;
}
