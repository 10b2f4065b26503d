using System.Reflection;

namespace Plugboard.Loading;

/// <summary>
/// The code one version of a plugin runs, as its runtime loaded it: a collectible load context, or a native library.
/// A generation holds it until retirement lets go of it.
/// </summary>
internal abstract class PluginCode
{
    /// <summary>The managed main assembly, which dependent plugins share; null for other kinds.</summary>
    public virtual Assembly? MainAssembly => null;

    /// <summary>Where this code runs.</summary>
    public virtual PluginIsolation Isolation => PluginIsolation.InProcess;

    /// <summary>The process id of the worker running this code out of process, while one is up; null in process.</summary>
    public virtual int? WorkerProcessId => null;

    /// <summary>The process id of the worker waiting to take over after a crash (<see cref="PluginIsolationOptions.StandbyWorker"/>), once it is up.</summary>
    public virtual int? StandbyWorkerProcessId => null;

    /// <summary>How this version hands its state over at a reload when it is not its entry instances' own doing (out of process); null in process.</summary>
    public virtual IStateHandover? StateHandover => null;

    /// <summary>Whether <paramref name="assembly"/> belongs to this code (state exported from it would keep it loaded).</summary>
    public virtual bool Owns(Assembly assembly) => false;

    /// <summary>
    /// Lets go of the code. Called once, after the calls drained and the stop hooks ran, from a frame that keeps no
    /// other reference to it.
    /// </summary>
    /// <returns>How to tell whether the code is really gone.</returns>
    public abstract CodeRelease Release();

    /// <summary>Drops what a failed load created (nothing of a failed plugin stays loaded).</summary>
    /// <returns>A weak reference to what the collector still has to reclaim (a managed context), for the host to watch
    /// when a hook that timed out may still run in it; null when nothing is left to wait for.</returns>
    public abstract WeakReference? Abandon();
}

/// <summary>
/// What releasing a plugin's code leaves to verify: a weak reference the garbage collector must clear (managed), or
/// a verdict known at once (native: the library was closed, or stays mapped for the reason given).
/// </summary>
/// <param name="Collectible">Cleared when the code was collected; null when the verdict is known at release.</param>
/// <param name="KeptBecause">Why the code stays loaded by design; null when it is gone (or, managed, pending the collector).</param>
internal sealed record CodeRelease(WeakReference? Collectible, string? KeptBecause);
