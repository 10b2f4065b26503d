namespace Plugboard.Native;

/// <summary>
/// An exported function or variable of a <see cref="SharedLibrary"/>. While it is not disposed it keeps its
/// library referenced and open: <see cref="SharedLibrary.Close"/> refuses to close under a live symbol.
/// Cast <see cref="Address"/> to a function pointer to call it without delegate marshalling:
/// <c>((delegate* unmanaged&lt;uint, byte*, uint, uint&gt;)symbol.Address)(0, p, n)</c>.
/// </summary>
public sealed class SharedLibrarySymbol : IDisposable
{
    private readonly nint _address;
    private int _disposed;

    internal SharedLibrarySymbol(SharedLibrary library, string name, nint address)
    {
        Library = library;
        Name = name;
        _address = address;
    }

    /// <summary>The library the symbol belongs to; referenced so it stays alive as long as the symbol.</summary>
    public SharedLibrary Library { get; }

    /// <summary>The symbol's exported name.</summary>
    public string Name { get; }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The symbol's address. Only valid while the symbol is not disposed.</summary>
    /// <exception cref="ObjectDisposedException">The symbol was disposed.</exception>
    public nint Address
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _address;
        }
    }

    /// <summary>Releases the symbol's hold on its library. Copies of <see cref="Address"/> must not be used afterwards.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Library.ReleaseSymbol();
        }
    }
}
