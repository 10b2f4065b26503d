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
            BindingLanguage.CSharpHost => [new EmittedFile(NativeNames.Pascal(BaseName(model)) + ".Proxies.cs", HostProxyEmitter.Emit(model))],
            _ => throw new ArgumentOutOfRangeException(nameof(language)),
        };
    }

    /// <summary>
    /// The <c>native.interfaces</c> section a plugin built with these bindings puts into its <c>plugin.json</c>: per
    /// interface id, the member hashes in table order (the same values as the bindings' <c>MEMBER_HASHES</c>). The host
    /// compares them with its own before it opens the plugin's library and refuses another layout (PB0418). Keep the
    /// ids the plugin uses.
    /// </summary>
    /// <param name="model">The model the bindings were emitted from.</param>
    /// <returns><c>&lt;name&gt;.interfaces.json</c>: <c>{ "interfaces": { "id": ["0x…", …] } }</c>.</returns>
    public static EmittedFile EmitManifestInterfaces(ContractModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var json = new System.Text.StringBuilder("{\n  \"interfaces\": {");
        for (int i = 0; i < model.Interfaces.Count; i++)
        {
            ContractInterface exported = model.Interfaces[i];
            json.Append(i == 0 ? "\n" : ",\n").Append("    \"").Append(exported.Id).Append("\": [")
                .Append(string.Join(", ", exported.Methods.Select(m => "\"" + Layout.LayoutHash.Format(m.LayoutHash) + "\""))).Append(']');
        }
        json.Append(model.Interfaces.Count == 0 ? "}\n}\n" : "\n  }\n}\n");
        return new EmittedFile(BaseName(model) + ".interfaces.json", json.ToString());
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
