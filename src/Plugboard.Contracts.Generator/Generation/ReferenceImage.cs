using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace Plugboard.Contracts.Generator.Generation;

/// <summary>
/// The metadata of a compilation's reference, read without touching the disk: a built assembly through the compiler's
/// own copy of its metadata, a project the IDE references as a compilation through its metadata-only image.
/// </summary>
internal sealed class ReferenceImage : IDisposable
{
    private readonly PEReader? _pe;

    private ReferenceImage(MetadataReader reader, PEReader? pe)
    {
        Reader = reader;
        _pe = pe;
    }

    public MetadataReader Reader { get; }

    /// <summary>Opens a reference's metadata.</summary>
    /// <exception cref="BadImageFormatException">The reference is not a .NET assembly.</exception>
    public static ReferenceImage Open(MetadataReference reference, CancellationToken cancellation)
    {
        switch (reference)
        {
            case PortableExecutableReference file:
                if (file.GetMetadata() is not AssemblyMetadata assembly)
                {
                    throw new BadImageFormatException($"'{file.Display}' is a module, not an assembly.");
                }
                return new ReferenceImage(assembly.GetModules()[0].GetMetadataReader(), pe: null);
            case CompilationReference project:
                var image = new MemoryStream();
                Microsoft.CodeAnalysis.Emit.EmitResult emitted = project.Compilation.Emit(image, options: new EmitOptions(metadataOnly: true), cancellationToken: cancellation);
                if (!emitted.Success)
                {
                    throw new BadImageFormatException($"'{project.Display}' does not compile yet.");
                }
                image.Position = 0;
                var pe = new PEReader(image);
                return new ReferenceImage(pe.GetMetadataReader(), pe);
            default:
                throw new BadImageFormatException($"'{reference.Display}' is not an assembly reference.");
        }
    }

    /// <summary>The assembly name of a reference, or null when it is not a readable assembly.</summary>
    public static string? AssemblyName(MetadataReference reference)
    {
        switch (reference)
        {
            case CompilationReference project:
                return project.Compilation.AssemblyName;
            case PortableExecutableReference file:
                try
                {
                    if (file.GetMetadata() is AssemblyMetadata assembly)
                    {
                        MetadataReader reader = assembly.GetModules()[0].GetMetadataReader();
                        return reader.IsAssembly ? reader.GetString(reader.GetAssemblyDefinition().Name) : null;
                    }
                }
                catch (BadImageFormatException)
                {
                    // Not an assembly: the compiler reports it; it is not the host API.
                }
                catch (IOException)
                {
                    // Unreadable: likewise the compiler's to report.
                }
                return null;
            default:
                return null;
        }
    }

    public void Dispose() => _pe?.Dispose();
}
