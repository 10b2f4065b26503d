using System.CommandLine;
using Plugboard.Cli.Output;
using Plugboard.Contracts;
using Plugboard.Contracts.Bindings;
using Plugboard.Contracts.Layout;

namespace Plugboard.Cli.Commands;

/// <summary>
/// <c>plugboard bindgen &lt;api.dll&gt; --lang c|rust|csharp-aot --out &lt;dir&gt; [--baseline &lt;old api.dll&gt;]</c>: emits the native
/// bindings of a host API's exported interfaces and shared data, read from its metadata (the assembly is never loaded).
/// Members the bindings cannot express are errors naming them, and nothing is written. With <c>--baseline</c>, a layout
/// changed incompatibly under the same interface id is an error too (PLUGBOARD014).
/// </summary>
internal sealed class BindgenCommand : ICliCommand
{
    private readonly Argument<FileInfo> _api = new("api") { Description = "The host API assembly (.dll); the .xml documentation beside it supplies the comments and thread rules." };

    private readonly Option<string> _language = CreateLanguageOption();

    private readonly Option<DirectoryInfo> _out = new("--out", "-o") { Description = "The folder to write the bindings into (created if missing).", Required = true };

    private readonly Option<FileInfo?> _baseline = new("--baseline") { Description = "The host API build plugins were compiled against: fail when a layout changed incompatibly under the same interface id." };

    public Command Build() => new("bindgen", "Emit the C header, Rust module or NativeAOT C# file of a host API's exported interfaces and shared data; exit code 1 when a member cannot be expressed (or, with --baseline, changed incompatibly).")
    {
        _api, _language, _out, _baseline,
    };

    public Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ParseResult parse = context.ParseResult;
        ContractModel model = Read(parse.GetRequiredValue(_api));
        BindingLanguage language = parse.GetRequiredValue(_language) switch
        {
            "rust" => BindingLanguage.Rust,
            "csharp-aot" => BindingLanguage.CSharp,
            "csharp-host" => BindingLanguage.CSharpHost,
            _ => BindingLanguage.C,
        };
        var diagnostics = new List<ContractDiagnostic>(model.Diagnostics);
        IReadOnlyList<LayoutChange> changes = [];
        if (parse.GetValue(_baseline) is FileInfo baselineFile)
        {
            changes = LayoutComparison.Compare(Read(baselineFile), model);
            diagnostics.AddRange(LayoutComparison.ToDiagnostics(changes));
        }
        bool ok = !diagnostics.Any(d => d.Severity == ContractDiagnosticSeverity.Error);

        var written = new List<string>();
        if (ok)
        {
            string directory = parse.GetRequiredValue(_out).FullName;
            Directory.CreateDirectory(directory);
            // The manifest section beside the bindings: the hashes a plugin records in plugin.json (native.interfaces).
            foreach (EmittedFile file in ContractBindings.Emit(model, language).Append(ContractBindings.EmitManifestInterfaces(model)))
            {
                string path = Path.Combine(directory, file.FileName);
                File.WriteAllText(path, file.Content);
                written.Add(path);
            }
        }

        var result = new BindgenModel(model.AssemblyName, model.AssemblyVersion.ToString(), parse.GetRequiredValue(_language), ok, written,
            [.. model.Interfaces.Select(i => new BindgenInterfaceModel(i.Id, i.FullName, i.Methods.Count, LayoutHash.Format(i.LayoutHash)))],
            [.. diagnostics.Select(d => new BindgenDiagnosticModel(d.Id, d.Severity.ToString().ToLowerInvariant(), d.Member, d.Message))],
            [.. changes.Select(c => new LayoutChangeModel(c.Subject, c.Kind.ToString(), c.Member, c.Message))]);
        if (context.Json)
        {
            JsonOutput.Write(context.Out, result);
        }
        else
        {
            Render(context, result);
        }
        return Task.FromResult(ok ? ExitCodes.Success : ExitCodes.PluginProblems);
    }

    private static Option<string> CreateLanguageOption()
    {
        var option = new Option<string>("--lang") { Description = "The language of the bindings: c (a header beside plugboard.h), rust (a module on the plugboard crate), csharp-aot (a C# file for NativeAOT plugins) or csharp-host (the host's proxies: the API's interfaces over a native plugin's tables).", Required = true };
        option.AcceptOnlyFromAmong("c", "rust", "csharp-aot", "csharp-host");
        return option;
    }

    private static ContractModel Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliInputException($"The assembly '{file.FullName}' does not exist.", "Pass the host API's .dll, e.g. bin/Release/net10.0/MyApp.Api.dll (build it with GenerateDocumentationFile for the comments).");
        }
        try
        {
            return ContractReader.Read(file.FullName);
        }
        catch (BadImageFormatException ex)
        {
            throw new CliInputException($"'{file.FullName}' is not a .NET assembly: {ex.Message}", "Pass the managed assembly (.dll) of the host API, not a native library or a reference assembly's folder.");
        }
    }

    private static void Render(CommandContext context, BindgenModel model)
    {
        foreach (BindgenDiagnosticModel diagnostic in model.Diagnostics)
        {
            context.Error.WriteLine($"{diagnostic.Id} {diagnostic.Severity}: {diagnostic.Member}: {diagnostic.Message}");
        }
        HumanOutput output = context.Human;
        foreach (LayoutChangeModel change in model.Changes.Where(c => c.Kind == nameof(LayoutChangeKind.Appended)))
        {
            output.Line($"{change.Subject}: {change.Message}");
        }
        if (!model.Ok)
        {
            int errors = model.Diagnostics.Count(d => d.Severity == "error");
            output.Styled($"No bindings written: {errors} error(s) in {model.Api}. Fix them in the host API and build it again.", "red");
            return;
        }
        foreach (BindgenInterfaceModel exported in model.Interfaces)
        {
            output.Line($"{exported.Id} ({exported.Type}): {exported.Members} function(s), layout hash {exported.LayoutHash}");
        }
        foreach (string file in model.Files)
        {
            output.Styled($"Wrote {file}", "green");
        }
    }
}
