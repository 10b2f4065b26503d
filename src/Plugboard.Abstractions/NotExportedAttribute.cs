namespace Plugboard;

/// <summary>
/// Leaves a public member of an <see cref="ExportedClassAttribute"/> class out of the table native plugins get: for
/// members whose shape cannot cross (a collection, an event, a returned object) or that plugins must not call. Without
/// it, such a member is a bindgen error, never silently dropped.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Event, Inherited = false)]
public sealed class NotExportedAttribute : Attribute
{
}
