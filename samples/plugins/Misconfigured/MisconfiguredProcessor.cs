using Notebook.Api;
using Plugboard;

namespace Misconfigured;

/// <summary>A plugin that needs a setting the sample host does not give it, and fails loudly in its constructor.</summary>
public sealed class MisconfiguredProcessor : INoteProcessor
{
    public MisconfiguredProcessor(IPluginContext context)
    {
        if (!context.Settings.ContainsKey("ApiKey"))
        {
            throw new InvalidOperationException("setting 'ApiKey' is required");
        }
    }

    public string Name => "misconfigured";

    public string Process(Note note, NotebookStore store) => "never runs";
}
