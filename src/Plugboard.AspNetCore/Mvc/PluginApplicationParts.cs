using System.Reflection;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Primitives;

namespace Plugboard.AspNetCore.Mvc;

/// <summary>
/// The plugins' assemblies as MVC application parts, one per plugin: a new version's part replaces the old one's in
/// one step, a released version's part is removed, and each change signals MVC (as an
/// <see cref="IActionDescriptorChangeProvider"/>) to rebuild its actions and their endpoints.
/// </summary>
internal sealed class PluginApplicationParts(IServiceProvider services) : IActionDescriptorChangeProvider
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (AssemblyPart Part, string Prefix, string? Version)> _byPlugin = new(StringComparer.OrdinalIgnoreCase);
    private CancellationTokenSource _changed = new();

    public IChangeToken GetChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    /// <summary>The prefix of the plugin whose part holds <paramref name="assembly"/>, or null when it is no plugin's.</summary>
    public (string PluginId, string Prefix, string? Version)? PluginOf(Assembly assembly)
    {
        lock (_gate)
        {
            foreach ((string id, (AssemblyPart part, string prefix, string? version)) in _byPlugin)
            {
                if (part.Assembly == assembly)
                {
                    return (id, prefix, version);
                }
            }
            return null;
        }
    }

    /// <summary>Makes <paramref name="assembly"/> the plugin's part when it has controllers; false when MVC is not in the host or the assembly has none.</summary>
    public bool Set(string pluginId, string? version, Assembly assembly, string prefix)
    {
        if (services.GetService(typeof(ApplicationPartManager)) is not ApplicationPartManager manager || !HasControllers(assembly))
        {
            return false;
        }
        Change(manager, () =>
        {
            if (_byPlugin.Remove(pluginId, out (AssemblyPart Part, string, string?) old))
            {
                manager.ApplicationParts.Remove(old.Part);
            }
            var part = new AssemblyPart(assembly);
            manager.ApplicationParts.Add(part);
            _byPlugin[pluginId] = (part, prefix, version);
            return true;
        });
        return true;
    }

    /// <summary>Removes the plugin's part when it holds one of <paramref name="assemblies"/> (a version being released).</summary>
    public bool Remove(string pluginId, IEnumerable<Assembly> assemblies)
    {
        if (services.GetService(typeof(ApplicationPartManager)) is not ApplicationPartManager manager)
        {
            return false;
        }
        return Change(manager, () =>
        {
            if (!_byPlugin.TryGetValue(pluginId, out (AssemblyPart Part, string, string?) current) || !assemblies.Contains(current.Part.Assembly))
            {
                return false;
            }
            _byPlugin.Remove(pluginId);
            manager.ApplicationParts.Remove(current.Part);
            return true;
        });
    }

    private bool Change(ApplicationPartManager manager, Func<bool> change)
    {
        CancellationTokenSource previous;
        lock (_gate)
        {
            lock (manager.ApplicationParts)
            {
                if (!change())
                {
                    return false;
                }
            }
            previous = _changed;
            _changed = new CancellationTokenSource();
        }
        // Outside the lock: MVC rebuilds its action descriptors in the callback.
        previous.Cancel();
        previous.Dispose();
        return true;
    }

    public static bool HasControllers(Assembly assembly) =>
        assembly.GetExportedTypes().Any(t => t is { IsClass: true, IsAbstract: false } && typeof(Microsoft.AspNetCore.Mvc.ControllerBase).IsAssignableFrom(t));
}
