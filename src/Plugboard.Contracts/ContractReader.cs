using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Plugboard.Contracts.Reading;

namespace Plugboard.Contracts;

/// <summary>
/// Reads the contract model of a host API from its metadata (System.Reflection.Metadata: the assembly is never
/// loaded, no code of it runs) and its documentation from the XML file beside it.
/// </summary>
public static class ContractReader
{
    /// <summary>Reads a host API assembly.</summary>
    /// <param name="assemblyPath">The host API's .dll; its .xml documentation, when beside it, supplies the comments and thread rules.</param>
    /// <returns>The model, with a diagnostic for everything the bindings cannot express.</returns>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ContractModel Read(string assemblyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException($"'{assemblyPath}' has no .NET metadata.", assemblyPath);
        }
        MetadataReader reader = pe.GetMetadataReader();
        if (!reader.IsAssembly)
        {
            throw new BadImageFormatException($"'{assemblyPath}' is a module, not an assembly.", assemblyPath);
        }
        string documentationPath = Path.ChangeExtension(assemblyPath, ".xml");
        XmlDocumentation documentation = XmlDocumentation.Empty;
        if (File.Exists(documentationPath))
        {
            using StreamReader text = File.OpenText(documentationPath);
            documentation = XmlDocumentation.Parse(text);
        }
        return new ContractModelBuilder(reader, documentation).Build();
    }
}
