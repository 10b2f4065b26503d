namespace Plugboard.Native.Internal;

/// <summary>
/// The library images that back a live (not yet disposed) plugin. Opening a path the loader has already mapped returns
/// the same image, with the same global variables: a second plugin instance on it would overwrite the first one's
/// state in init. So a second concurrent load of one image is refused (copy-on-load gives each load its own image).
/// </summary>
internal static class LiveImages
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<nint, string> Owners = [];

    public static bool TryClaim(nint handle, string pluginId, out string owner)
    {
        lock (Gate)
        {
            if (Owners.TryGetValue(handle, out string? existing))
            {
                owner = existing;
                return false;
            }
            Owners[handle] = pluginId;
            owner = pluginId;
            return true;
        }
    }

    public static void Release(nint handle)
    {
        lock (Gate)
        {
            Owners.Remove(handle);
        }
    }
}
