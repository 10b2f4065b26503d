namespace Notebook.Web;

/// <summary>A temporary copy of a plugins folder (one sub-folder per plugin), deleted on dispose.</summary>
internal sealed class SampleFolder : IDisposable
{
    private SampleFolder(string path) => Path = path;

    public string Path { get; }

    public static SampleFolder CopyOf(string source)
    {
        if (!Directory.Exists(source) || Directory.GetDirectories(source).Length == 0)
        {
            throw new InvalidOperationException($"no web plugins in {source}: build samples/Notebook.Web first (it builds samples/plugins/web)");
        }
        var folder = new SampleFolder(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "notebook-web-" + Guid.NewGuid().ToString("N")));
        foreach (string plugin in Directory.GetDirectories(source))
        {
            folder.CopyInto(plugin, System.IO.Path.GetFileName(plugin));
        }
        return folder;
    }

    /// <summary>Copies a built plugin's files over the plugin's folder here, file by file, as a rebuild writes them.</summary>
    public void CopyInto(string builtPlugin, string pluginFolder)
    {
        string target = System.IO.Path.Combine(Path, pluginFolder);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(builtPlugin))
        {
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)), overwrite: true);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder: left for the system to clean when a file is still open.
        }
    }
}
