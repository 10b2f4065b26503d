using System.Reflection;
using Plugboard.Metadata;

namespace Plugboard.Loading;

/// <summary>Loads a plugin's main assembly into its context and creates its entry instances, turning every runtime failure into a typed error.</summary>
internal static class EntryActivator
{
    public static Assembly LoadMain(PluginLoadContext context, PluginCatalogEntry entry)
    {
        try
        {
            return context.LoadMain();
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or IOException)
        {
            throw new PluginException(PluginErrorCode.LoadFailed, entry.Id, entry.MainFile,
                $"The runtime refused to load the assembly: {ex.Message}", "Rebuild the plugin for this runtime and check that the file is complete.", ex);
        }
    }

    public static List<TContract> CreateInstances<TContract>(Assembly assembly, PluginCatalogEntry entry, IPluginContext pluginContext, PluginEntryFactory? factory = null) where TContract : class
    {
        var instances = new List<TContract>();
        foreach (string typeName in entry.EntryTypes)
        {
            instances.Add(Create<TContract>(assembly, entry, typeName, pluginContext, factory));
        }
        return instances;
    }

    private static TContract Create<TContract>(Assembly assembly, PluginCatalogEntry entry, string typeName, IPluginContext pluginContext, PluginEntryFactory? factory) where TContract : class
    {
        Type? type;
        try
        {
            type = assembly.GetType(typeName, throwOnError: true);
        }
        catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw Translate(entry, typeName, ex);
        }
        if (type is null)
        {
            throw new PluginException(PluginErrorCode.EntryTypeNotCreatable, entry.Id, entry.MainFile,
                $"Entry type '{typeName}' is not in the assembly.", "Rebuild the plugin; the files changed since discovery.");
        }
        if (!typeof(TContract).IsAssignableFrom(type))
        {
            bool sameName = type.GetInterfaces().Any(i => i.FullName == typeof(TContract).FullName);
            throw new PluginException(PluginErrorCode.EntryTypeNotCreatable, entry.Id, entry.MainFile,
                sameName
                    ? $"Entry type '{typeName}' implements a different copy of {typeof(TContract).FullName} than the host's (loaded from another assembly), so it cannot be used as the host's type."
                    : $"Entry type '{typeName}' does not implement {typeof(TContract).FullName}.",
                sameName
                    ? "Share the contract's assembly with the plugin (add it to PluginHostOptions.HostApiAssemblies or SharedAssemblies)."
                    : $"Implement {typeof(TContract).FullName} on '{typeName}'.");
        }
        if (factory is not null)
        {
            return CreateWithFactory<TContract>(factory, type, entry, typeName, pluginContext);
        }
        if (EntryConstructorRule.Find(type) is not ConstructorInfo constructor)
        {
            throw new PluginException(PluginErrorCode.EntryTypeNotCreatable, entry.Id, entry.MainFile,
                $"Entry type '{typeName}' has no public constructor {EntryConstructorRule.Describe(entryFactory: false)}.", $"Add such a constructor to '{typeName}'.");
        }
        try
        {
            return (TContract)EntryConstructorRule.Invoke(constructor, pluginContext);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is Exception inner)
        {
            if (inner is FileNotFoundException or FileLoadException or TypeLoadException or MissingMethodException or MissingFieldException)
            {
                throw Translate(entry, typeName, inner);
            }
            throw new PluginException(PluginErrorCode.ConstructorThrew, entry.Id, entry.MainFile,
                $"The constructor of '{typeName}' threw {inner.GetType().Name}: {inner.Message}",
                $"Fix the constructor of '{typeName}' (move fallible work into InitializeAsync to get the plugin context first); the inner exception has the stack trace.", new PluginCodeException(inner));
        }
        catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or FileLoadException or MissingMethodException)
        {
            throw Translate(entry, typeName, ex);
        }
    }

    private static TContract CreateWithFactory<TContract>(PluginEntryFactory factory, Type type, PluginCatalogEntry entry, string typeName, IPluginContext pluginContext) where TContract : class
    {
        object? instance;
        try
        {
            instance = factory.Create(type, pluginContext);
        }
        catch (PluginException)
        {
            throw;
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or TypeLoadException or MissingMethodException or MissingFieldException)
        {
            throw Translate(entry, typeName, ex);
        }
        catch (Exception ex)
        {
            Exception inner = ex is TargetInvocationException { InnerException: Exception wrapped } ? wrapped : ex;
            throw new PluginException(PluginErrorCode.ConstructorThrew, entry.Id, entry.MainFile,
                $"Creating '{typeName}' through the host's entry factory failed with {inner.GetType().Name}: {inner.Message}",
                $"Fix the constructor of '{typeName}' or give the host the services it asks for; the inner exception has the stack trace.", new PluginCodeException(inner));
        }
        if (instance is not TContract typed)
        {
            throw new PluginException(PluginErrorCode.EntryTypeNotCreatable, entry.Id, entry.MainFile,
                $"The host's entry factory returned {instance?.GetType().FullName ?? "null"} for '{typeName}', which is not a {typeof(TContract).FullName}.",
                "Fix the host's PluginEntryFactory to return an instance of the entry type it is given.");
        }
        return typed;
    }

    private static PluginException Translate(PluginCatalogEntry entry, string typeName, Exception ex) => ex switch
    {
        FileNotFoundException missing => new PluginException(PluginErrorCode.MissingPrivateDependency, entry.Id, entry.MainFile,
            $"Creating '{typeName}' needed {missing.FileName ?? "an assembly"}, which could not be found: {missing.Message}",
            "Build or publish the plugin with its dependencies into its folder.", new PluginCodeException(ex)),
        _ => new PluginException(PluginErrorCode.LoadFailed, entry.Id, entry.MainFile,
            $"Creating '{typeName}' failed in the runtime with {ex.GetType().Name}: {ex.Message}",
            "Rebuild the plugin against the host API and dependencies this host ships.", new PluginCodeException(ex)),
    };
}
