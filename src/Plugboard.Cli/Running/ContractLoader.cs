using System.Reflection;

namespace Plugboard.Cli.Running;

/// <summary>Loads the host API assemblies named on the command line into the tool, to act as their host.</summary>
internal static class ContractLoader
{
    public static (Type Contract, IReadOnlyList<Assembly> HostApi, IReadOnlyList<Assembly> Shared) Load(FileInfo[] hostApi, string contract, FileInfo[]? shared)
    {
        List<Assembly> api = [.. hostApi.Select(LoadFile)];
        List<Assembly> sharedAssemblies = [.. (shared ?? []).Select(LoadFile)];
        Type? type = api.Select(a => a.GetType(contract, throwOnError: false)).FirstOrDefault(t => t is not null);
        if (type is null)
        {
            throw new CliInputException($"No host API assembly defines the contract type '{contract}'.",
                $"Pass the full name (namespace and name) of a public type of {string.Join(", ", api.Select(a => a.GetName().Name))}.");
        }
        if (!(type.IsInterface || type.IsClass) || type.IsGenericTypeDefinition || type.IsValueType)
        {
            throw new CliInputException($"The contract type '{contract}' is not an interface or class.", "Pass the interface or base class plugins implement.");
        }
        return (type, api, sharedAssemblies);
    }

    private static Assembly LoadFile(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliInputException($"The assembly '{file.FullName}' does not exist.", "Pass the host API assembly the plugins compile against.");
        }
        try
        {
            return Assembly.LoadFrom(file.FullName);
        }
        catch (BadImageFormatException ex)
        {
            throw new CliInputException($"'{file.FullName}' is not a .NET assembly: {ex.Message}", "Pass the managed assembly (.dll) of the host API.");
        }
    }
}
