using Plugboard;

namespace Bad.Api.Again;

/// <summary>A valid shared struct whose simple name is taken by Bad.Api.Sample: the bindings would declare it twice.</summary>
[SharedData]
public struct Sample
{
    /// <summary>The size.</summary>
    public uint StructSize;
    /// <summary>A value.</summary>
    public long Value;
}
