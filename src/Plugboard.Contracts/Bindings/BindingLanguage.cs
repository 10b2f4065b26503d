namespace Plugboard.Contracts.Bindings;

/// <summary>The languages bindings are emitted for.</summary>
public enum BindingLanguage
{
    /// <summary>A C header (C11 and C++), beside <c>plugboard.h</c>.</summary>
    C,
    /// <summary>A Rust module on top of the <c>plugboard</c> SDK crate (std only).</summary>
    Rust,
    /// <summary>A C# file for NativeAOT plugins (which do not reference the host API): blittable mirrors, clients and serving tables.</summary>
    CSharp,
    /// <summary>
    /// C# for the host (which references the host API and Plugboard.Native): per exported interface a proxy implementing
    /// the host API's own interface over the table a native plugin serves, so the host calls it through its contract.
    /// </summary>
    CSharpHost,
}
