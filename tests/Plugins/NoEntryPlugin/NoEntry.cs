namespace NoEntryPlugin;

/// <summary>A library with no type implementing the host's contract.</summary>
public sealed class Calculator
{
    public int Add(int a, int b) => a + b;
}
