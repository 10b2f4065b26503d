namespace Plugboard.Benchmarks;

/// <summary>
/// A contract a native plugin implements, for the proxy benchmark: one function with blittable arguments, so a call
/// through the generated proxy can be set beside the same call made by hand through a raw <c>delegate* unmanaged</c>.
/// <c>Generated/PlugboardBenchmarks.Proxies.cs</c> and <c>../NativePlugins/include/plugboard_benchmarks.h</c> are emitted
/// from it by <c>plugboard bindgen</c> (compared with the emitter's output by the benchmark tests).
/// </summary>
/// <thread>any thread</thread>
[ExportedInterface("bench.counter/1")]
public interface IBenchCounter
{
    /// <summary>Adds <paramref name="value"/> to the plugin's counter and returns the new total.</summary>
    /// <param name="value">Any value.</param>
    /// <returns>The total.</returns>
    long Add(long value);
}
