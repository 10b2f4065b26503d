using System.Runtime.InteropServices;

namespace Plugboard.Native;

/// <summary>
/// An exported function of a <see cref="SharedLibrary"/> as a typed delegate (the typed symbol of libloading). Like
/// <see cref="SharedLibrarySymbol"/>, it keeps its library open until disposed, so the delegate cannot outlive the code.
/// </summary>
/// <typeparam name="TDelegate">The delegate type matching the function's signature.</typeparam>
public sealed class SharedLibraryFunction<TDelegate> : IDisposable
    where TDelegate : Delegate
{
    private readonly SharedLibrarySymbol _symbol;
    private readonly TDelegate _invoke;

    internal SharedLibraryFunction(SharedLibrarySymbol symbol)
    {
        _symbol = symbol;
        _invoke = Marshal.GetDelegateForFunctionPointer<TDelegate>(symbol.Address);
    }

    /// <summary>The function's exported name.</summary>
    public string Name => _symbol.Name;

    /// <summary>The library it belongs to.</summary>
    public SharedLibrary Library => _symbol.Library;

    /// <summary>The function's address (for a <c>delegate* unmanaged</c> call).</summary>
    /// <exception cref="ObjectDisposedException">The function was disposed.</exception>
    public nint Address => _symbol.Address;

    /// <summary>The delegate that calls the function.</summary>
    /// <exception cref="ObjectDisposedException">The function was disposed.</exception>
    public TDelegate Invoke
    {
        get
        {
            ObjectDisposedException.ThrowIf(_symbol.IsDisposed, this);
            return _invoke;
        }
    }

    /// <summary>Releases the hold on the library; the delegate must not be called afterwards.</summary>
    public void Dispose() => _symbol.Dispose();
}
