using System.Runtime.InteropServices;

namespace Plugboard.Diagnostics.Heap;

/// <summary>
/// Sends the process's standard output to standard error while the snapshot is taken: the runtime's createdump,
/// which ClrMD starts with this process's descriptors, prints its progress on standard output, where it would corrupt
/// what the host writes there (e.g. <c>plugboard run --json</c>). Unix only; elsewhere nothing to divert.
/// </summary>
internal sealed partial class StandardOutputDiversion : IDisposable
{
    private const int StandardOutput = 1;
    private const int StandardError = 2;
    private readonly int _saved = -1;

    public StandardOutputDiversion()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        Console.Out.Flush();
        _saved = Dup(StandardOutput);
        if (_saved >= 0 && Dup2(StandardError, StandardOutput) < 0)
        {
            Close(_saved);
            _saved = -1;
        }
    }

    public void Dispose()
    {
        if (_saved >= 0)
        {
            Dup2(_saved, StandardOutput);
            Close(_saved);
        }
    }

    [LibraryImport("libc", EntryPoint = "dup")]
    private static partial int Dup(int descriptor);

    [LibraryImport("libc", EntryPoint = "dup2")]
    private static partial int Dup2(int descriptor, int target);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
