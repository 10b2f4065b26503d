namespace Plugboard;

/// <summary>
/// How the host API's version decides whether a plugin built against a <em>newer minor</em> of the API may run.
/// A different major version is refused by every rule; an older or equal minor is always accepted (when the
/// surface check passes).
/// </summary>
public enum ApiVersionRule
{
    /// <summary>
    /// The default. A plugin built against a newer minor is accepted when the surface check proves that every host
    /// API type and member it uses exists in this host with the same signature and accessibility, and every API
    /// interface and abstract class it implements is fully implemented. Constants and enum values are compiled into
    /// the plugin: no check can see them, so a newer constant's value is what the plugin uses.
    /// </summary>
    SurfaceProven,

    /// <summary>A plugin built against a newer minor is refused by its version alone (PB0201), whatever it uses.</summary>
    Strict,
}
