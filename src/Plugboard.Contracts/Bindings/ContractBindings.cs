namespace Plugboard.Contracts.Bindings;

/// <summary>Emits the bindings of a contract model: what a plugin author compiles against instead of hand-written mirrors.</summary>
public static class ContractBindings
{
    /// <summary>Emits the bindings for one language.</summary>
    /// <param name="model">A model without errors.</param>
    /// <param name="language">The language.</param>
    /// <returns>The files (one per language today).</returns>
    /// <exception cref="InvalidOperationException">The model has errors: the bindings would be wrong.</exception>
    public static IReadOnlyList<EmittedFile> Emit(ContractModel model, BindingLanguage language)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.HasErrors)
        {
            throw new InvalidOperationException($"The host API {model.AssemblyName} has members the bindings cannot express; fix these first:\n"
                + string.Join('\n', model.Diagnostics.Where(d => d.Severity == ContractDiagnosticSeverity.Error)));
        }
        return language switch
        {
            BindingLanguage.C => [new EmittedFile(BaseName(model) + ".h", CHeaderEmitter.Emit(model))],
            BindingLanguage.Rust => [new EmittedFile(BaseName(model) + ".rs", RustModuleEmitter.Emit(model))],
            BindingLanguage.CSharp => [new EmittedFile(NativeNames.Pascal(BaseName(model)) + ".Native.cs", CSharpClientEmitter.Emit(model))],
            _ => throw new ArgumentOutOfRangeException(nameof(language)),
        };
    }

    /// <summary>The file name of a model's bindings without extension: the assembly name in snake case (<c>Notebook.Api</c>: <c>notebook_api</c>).</summary>
    /// <param name="model">The model.</param>
    /// <returns>The name.</returns>
    public static string BaseName(ContractModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return NativeNames.Snake(model.AssemblyName.Replace(".", "_", StringComparison.Ordinal));
    }
}
