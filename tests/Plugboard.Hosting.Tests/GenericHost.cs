using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Plugboard.Hosting.Tests;

/// <summary>A real generic host (Host.CreateApplicationBuilder) with Plugboard added for ILedgerPlugin.</summary>
internal static class GenericHost
{
    public static IHost Build(IDictionary<string, string?> settings, Action<PlugboardOptions>? configure = null, bool withJournal = true, Action<IServiceCollection>? services = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = Path.GetTempPath(),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        if (withJournal)
        {
            builder.Services.AddSingleton<Journal>();
        }
        builder.Services.AddPlugboard<ILedgerPlugin>(configure);
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    public static Dictionary<string, string?> Folder(string root, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Plugboard:PluginFolders:0"] = root };
        foreach ((string key, string value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }
}
