using Notebook.Api;
using Plugboard.Native;

namespace Notebook.Host;

/// <summary>
/// The host's adapter from a native plugin to <see cref="INoteChecker"/>, over its invoke (<c>check</c> with the note's
/// text): INoteChecker is not an exported interface, so there is no generated proxy for it. A static
/// <see cref="Create"/>, so that a worker process can make the same adapter when the plugin runs out of process.
/// </summary>
internal sealed class NativeNoteChecker(NativePlugin plugin) : INoteChecker
{
    public static INoteChecker Create(NativePlugin plugin) => new NativeNoteChecker(plugin);

    public string Check(string title, string body) => plugin.Invoke("check", body);
}
