namespace Plugboard.Contracts.Bindings;

/// <summary>One file of emitted bindings.</summary>
/// <param name="fileName">The file name (no folder): <c>notebook_api.h</c>.</param>
/// <param name="content">The text.</param>
public sealed class EmittedFile(string fileName, string content)
{
    /// <summary>The file name.</summary>
    public string FileName { get; } = fileName;

    /// <summary>The text.</summary>
    public string Content { get; } = content;
}
