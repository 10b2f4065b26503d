using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plugboard.Cli.Output;

/// <summary>Writes the JSON documents of --json: camelCase, indented, enums as text.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private static readonly JsonSerializerOptions OneLine = new(JsonSerializerDefaults.Web) { WriteIndented = false, Converters = { new JsonStringEnumConverter() } };

    public static void Write<T>(TextWriter writer, T document) => writer.WriteLine(JsonSerializer.Serialize(document, Indented));

    /// <summary>One document on one line, for streams of events.</summary>
    public static void WriteLine<T>(TextWriter writer, T document)
    {
        writer.WriteLine(JsonSerializer.Serialize(document, OneLine));
        writer.Flush();
    }
}
