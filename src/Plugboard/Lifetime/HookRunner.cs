namespace Plugboard.Lifetime;

/// <summary>
/// Runs a plugin's lifecycle hook on the thread pool with a deadline, so a hook that blocks, throws or never
/// returns marks the plugin failed instead of hanging or crashing the host.
/// </summary>
internal static class HookRunner
{
    /// <summary>How long a cancelled hook that honours its token may take to return before its plugin is unloaded anyway.</summary>
    internal static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs one lifecycle hook on every entry instance that implements <see cref="IPluginLifecycle"/>, in order.
    /// Initialize and start stop at the first error (the plugin has failed); stop collects every error and goes on.
    /// </summary>
    public static async Task<List<PluginException>> RunOnEachAsync<TContract>(IEnumerable<TContract> instances, Func<IPluginLifecycle, CancellationToken, Task> hook,
        TimeSpan timeout, PluginCatalogEntry entry, string hookName, PluginErrorCode failureCode, PluginErrorCode timeoutCode, bool stopAtFirstError,
        CancellationToken cancellationToken)
    {
        var errors = new List<PluginException>();
        foreach (TContract instance in instances)
        {
            if (instance is IPluginLifecycle lifecycle
                && await RunAsync(ct => hook(lifecycle, ct), timeout, entry.Id, entry.MainFile, hookName, failureCode, timeoutCode, cancellationToken).ConfigureAwait(false) is PluginException error)
            {
                errors.Add(error);
                if (stopAtFirstError)
                {
                    break;
                }
            }
        }
        return errors;
    }

    public static async Task<PluginException?> RunAsync(Func<CancellationToken, Task> hook, TimeSpan timeout, string pluginId, string? path,
        string hookName, PluginErrorCode failureCode, PluginErrorCode timeoutCode, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        // Task.Run: a hook that blocks synchronously before returning its task must not block the caller.
        Task task = Task.Run(() => hook(deadline.Token), CancellationToken.None);
        try
        {
            await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            ObserveLater(task);
            return new PluginException(timeoutCode, pluginId, path,
                $"Its {hookName} hook did not finish within {timeout.TotalSeconds:0.###} s; the plugin is abandoned and its thread may still be running.",
                $"Make {hookName} return promptly and honour its CancellationToken, or raise the host's timeout.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller's cancellation can reach here before the hook's linked token has seen it: tell the hook now,
            // and let one that honours its token return before its plugin is unloaded (its code would otherwise still
            // be on a stack). One that ignores it is still running after the grace, and its plugin is abandoned.
            await deadline.CancelAsync().ConfigureAwait(false);
            // WaitAsync's timer ends with the hook, so a prompt hook leaves no timer behind; its outcome is not needed.
            await task.WaitAsync(CancelGrace, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ObserveLater(task);
            // A fresh exception: the caught one reaches the hook's task and, through the plugin's own exception's
            // stack trace, its load context, which the caller's catch block would keep alive through the unload.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new PluginException(timeoutCode, pluginId, path,
                $"Its {hookName} hook was cancelled when its {timeout.TotalSeconds:0.###} s deadline passed.",
                $"Make {hookName} finish within the host's timeout, or raise the timeout.");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new PluginException(failureCode, pluginId, path,
                $"Its {hookName} hook threw {ex.GetType().Name}: {ex.Message}",
                $"Fix the plugin's {hookName}; the inner exception has the plugin's stack trace.", new PluginCodeException(ex));
        }
    }

    private static void ObserveLater(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
