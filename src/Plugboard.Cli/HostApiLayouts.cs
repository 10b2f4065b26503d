using Plugboard.Contracts;
using Plugboard.Metadata;
using Plugboard.Native;

namespace Plugboard.Cli;

/// <summary>
/// The exported interfaces of the host API named on the command line, as the layouts a host built with it declares:
/// list, inspect and verify refuse a native plugin whose <c>native.interfaces</c> records another layout with the
/// loader's own check and message (PB0418, <see cref="NativeHostInterfaces.CheckLayouts"/>), before anything is loaded.
/// </summary>
internal sealed class HostApiLayouts
{
    private readonly NativeHostInterfaces _layouts = new();

    private HostApiLayouts()
    {
    }

    /// <summary>The layouts read (from metadata, System.Reflection.Metadata) from the given host API files.</summary>
    public static HostApiLayouts Read(IEnumerable<FileInfo>? hostApi)
    {
        var layouts = new HostApiLayouts();
        foreach (FileInfo file in hostApi ?? [])
        {
            ContractModel model;
            try
            {
                model = ContractReader.Read(file.FullName);
            }
            catch (BadImageFormatException)
            {
                continue; // HostApiSelection already reports a file that is not an assembly.
            }
            foreach (ContractInterface exported in model.Interfaces)
            {
                layouts._layouts.Expect(new NativeInterfaceLayout(exported.Id, [.. exported.Methods.Select(m => m.DisplayName)], [.. exported.Methods.Select(m => m.LayoutHash)]));
            }
        }
        return layouts;
    }

    /// <summary>The entry, with a PB0418 problem added when it is a native plugin built against another layout.</summary>
    public PluginCatalogEntry Check(PluginCatalogEntry entry)
    {
        if (entry.Manifest?.Native is not NativeManifestSection native || native.Interfaces.Count == 0)
        {
            return entry;
        }
        PluginException? mismatch = _layouts.CheckLayouts(entry.Id, Path.Combine(entry.Directory, PluginManifest.FileName), native.Interfaces);
        return mismatch is null ? entry : entry.WithProblems([.. entry.Problems, mismatch]);
    }
}
