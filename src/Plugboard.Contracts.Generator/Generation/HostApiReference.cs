using Microsoft.CodeAnalysis;

namespace Plugboard.Contracts.Generator.Generation;

/// <summary>
/// The host API the project names and the reference that is it (null when the project references no assembly of that
/// name). Compared by the reference's identity: the compiler hands the generator the same reference object until the
/// file changes, so an edit of the host's own code finds this step unchanged.
/// </summary>
internal sealed record HostApiReference(string? Name, MetadataReference? Reference);
