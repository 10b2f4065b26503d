namespace Plugboard.Contracts;

/// <summary>One parameter of an exported method.</summary>
/// <param name="name">The C# parameter name.</param>
/// <param name="shape">How it crosses.</param>
public sealed class ContractParameter(string name, ContractShape shape)
{
    /// <summary>The C# parameter name.</summary>
    public string Name { get; } = name;

    /// <summary>How it crosses.</summary>
    public ContractShape Shape { get; } = shape;
}
