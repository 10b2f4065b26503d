using System.Diagnostics.CodeAnalysis;
using Plugboard.Native.Loading;

namespace Plugboard.Native;

/// <summary>
/// A shared library (<c>.so</c>, <c>.dylib</c>, <c>.dll</c>) opened through the operating system loader.
/// </summary>
/// <remarks>
/// Closing is opt-in and guarded: nothing closes a library implicitly (there is no finalizer, because unloading
/// code that left thread-local destructors or a runtime behind crashes the process later), and
/// <see cref="Close"/> refuses while any <see cref="SharedLibrarySymbol"/> is still live. <see cref="Dispose"/> is the
/// <c>using</c> form: it closes now, or when the last live symbol is disposed. Thread-safe.
/// </remarks>
public sealed class SharedLibrary : IDisposable
{
    private readonly Lock _gate = new();
    private readonly nint _handle;
    private int _liveSymbols;
    private bool _closed;
    private bool _closeWhenUnused;

    private SharedLibrary(string requested, string loadedAs, nint handle)
    {
        RequestedName = requested;
        LoadedName = loadedAs;
        _handle = handle;
    }

    /// <summary>The path or name that was asked for.</summary>
    public string RequestedName { get; }

    /// <summary>The name or path that the loader accepted (for a bare name, the per-OS file name that worked).</summary>
    public string LoadedName { get; }

    /// <summary>The loader's handle (dlopen/LoadLibrary). Opening the same image twice gives the same handle.</summary>
    public nint Handle => _handle;

    /// <summary>Whether <see cref="Close"/> succeeded.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>How many symbols handed out are not disposed yet.</summary>
    public int LiveSymbolCount
    {
        get
        {
            lock (_gate)
            {
                return _liveSymbols;
            }
        }
    }

    /// <summary>
    /// Opens a library by path (<c>/opt/x/libfoo.so</c>), by file name (<c>libz.so.1</c>, searched the loader's
    /// way) or by bare name (<c>z</c>: tries <c>libz.so</c>, <c>z.so</c>, <c>z</c> on Linux; <c>libz.dylib</c> on
    /// macOS; <c>z.dll</c> on Windows).
    /// </summary>
    /// <param name="pathOrName">The library.</param>
    /// <returns>The open library.</returns>
    /// <exception cref="SharedLibraryException">No candidate could be opened; carries the loader's messages.</exception>
    public static SharedLibrary Open(string pathOrName)
    {
        if (TryOpen(pathOrName, out SharedLibrary? library, out IReadOnlyList<string> errors))
        {
            return library;
        }
        throw new SharedLibraryException(pathOrName, null, errors);
    }

    /// <summary>Opens a library like <see cref="Open"/>, without throwing.</summary>
    /// <param name="pathOrName">The library.</param>
    /// <param name="library">The open library on success.</param>
    /// <param name="loaderMessages">The loader's message for each name tried, on failure.</param>
    /// <returns>True when the library was opened.</returns>
    public static bool TryOpen(string pathOrName, [NotNullWhen(true)] out SharedLibrary? library, out IReadOnlyList<string> loaderMessages)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathOrName);
        var errors = new List<string>();
        foreach (string candidate in LibraryNameCandidates.For(pathOrName, LibraryNameCandidates.Current))
        {
            nint handle = DynamicLinker.Current.Open(candidate, out string? error);
            if (handle != 0)
            {
                library = new SharedLibrary(pathOrName, candidate, handle);
                loaderMessages = [];
                return true;
            }
            errors.Add(error ?? candidate + ": unknown loader error.");
        }
        library = null;
        loaderMessages = errors;
        return false;
    }

    /// <summary>Looks up an exported symbol. Dispose the result when done so the library can be closed.</summary>
    /// <param name="name">The exported name.</param>
    /// <returns>The symbol, holding the library open.</returns>
    /// <exception cref="SharedLibraryException">The library does not export it; carries the loader's message.</exception>
    /// <exception cref="ObjectDisposedException">The library was closed.</exception>
    public SharedLibrarySymbol GetSymbol(string name)
    {
        if (TryGetSymbol(name, out SharedLibrarySymbol? symbol, out string? error))
        {
            return symbol;
        }
        throw new SharedLibraryException(LoadedName, name, [error]);
    }

    /// <summary>Looks up an exported symbol without throwing when it is missing.</summary>
    /// <param name="name">The exported name.</param>
    /// <param name="symbol">The symbol on success.</param>
    /// <param name="loaderMessage">The loader's message on failure.</param>
    /// <returns>True when found.</returns>
    /// <exception cref="ObjectDisposedException">The library was closed.</exception>
    public bool TryGetSymbol(string name, [NotNullWhen(true)] out SharedLibrarySymbol? symbol, [NotNullWhen(false)] out string? loaderMessage)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            nint address = DynamicLinker.Current.FindSymbol(_handle, name, out string? error);
            if (address == 0)
            {
                symbol = null;
                loaderMessage = error ?? name + ": not found.";
                return false;
            }
            _liveSymbols++;
            symbol = new SharedLibrarySymbol(this, name, address);
            loaderMessage = null;
            return true;
        }
    }

    /// <summary>
    /// Looks up an exported function as a delegate of type <typeparamref name="TDelegate"/> (declare it with
    /// <c>[UnmanagedFunctionPointer]</c> for a calling convention other than the platform default). The result holds
    /// the library open until disposed. For calls without marshalling, cast <see cref="SharedLibrarySymbol.Address"/>
    /// to a <c>delegate* unmanaged</c> instead.
    /// </summary>
    /// <typeparam name="TDelegate">A non-generic delegate type matching the function's signature.</typeparam>
    /// <param name="name">The exported name.</param>
    /// <returns>The function.</returns>
    /// <exception cref="SharedLibraryException">The library does not export it.</exception>
    /// <exception cref="ObjectDisposedException">The library was closed.</exception>
    public SharedLibraryFunction<TDelegate> GetFunction<TDelegate>(string name)
        where TDelegate : Delegate => new(GetSymbol(name));

    /// <summary>Closes the library now if no symbol is live, else as soon as the last one is disposed.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closeWhenUnused = true;
        }
        TryClose();
    }

    /// <summary>Closes the library if no symbol is live; see <see cref="Close"/>.</summary>
    /// <returns>True when closed now or before; false when symbols are still live.</returns>
    public bool TryClose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return true;
            }
            if (_liveSymbols > 0)
            {
                return false;
            }
            if (!DynamicLinker.Current.Close(_handle, out string? error))
            {
                throw new SharedLibraryException(LoadedName, null, [error ?? "close failed."]);
            }
            _closed = true;
            return true;
        }
    }

    /// <summary>
    /// Closes the library (dlclose). Only call it for code known to unload cleanly: not NativeAOT libraries and not
    /// Rust libraries using thread-locals. Refuses while symbols are live, so no handed-out address can dangle.
    /// </summary>
    /// <exception cref="InvalidOperationException">Symbols of the library are still live.</exception>
    public void Close()
    {
        if (!TryClose())
        {
            throw new InvalidOperationException(
                $"Cannot close '{LoadedName}': {LiveSymbolCount} symbol(s) are still in use. Dispose every SharedLibrarySymbol first.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => LoadedName;

    internal void ReleaseSymbol()
    {
        bool close;
        lock (_gate)
        {
            _liveSymbols--;
            close = _closeWhenUnused && _liveSymbols == 0;
        }
        if (close)
        {
            TryClose();
        }
    }
}
