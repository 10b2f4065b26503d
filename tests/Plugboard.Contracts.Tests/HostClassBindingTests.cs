using Plugboard.Contracts.Bindings;

namespace Plugboard.Contracts.Tests;

/// <summary>An <c>[ExportedClass]</c> is served by the host alone: plugins get a client for it, the host a table over its own class.</summary>
public sealed class HostClassBindingTests
{
    [Fact]
    public void A_host_class_gets_a_client_in_every_plugin_language_and_a_table_only_on_the_host()
    {
        ContractModel model = TestApis.Read(TestApis.Shapes);
        string Emit(BindingLanguage language) => Assert.Single(ContractBindings.Emit(model, language), f => !f.FileName.EndsWith(".json", StringComparison.Ordinal)).Content;

        string header = Emit(BindingLanguage.C);
        Assert.Contains("struct shapes_layer_v1 {", header, StringComparison.Ordinal);
        Assert.Contains("pb_status (*paint)(void *ctx, void *layer, const shapes_layer_v1 *layer_vtbl, void *pen, const shapes_pen_v1 *pen_vtbl, void *out_ctx, pb_write_fn out_write);", header, StringComparison.Ordinal);

        // Rust: a client, and no trait or table for a plugin to serve the class (the contract that takes it has both).
        string rust = Emit(BindingLanguage.Rust);
        Assert.Contains("pub struct LayerRef<'a>", rust, StringComparison.Ordinal);
        Assert.DoesNotContain("pub trait Layer:", rust, StringComparison.Ordinal);
        Assert.DoesNotContain("pub fn shapes_layer_v1_table", rust, StringComparison.Ordinal);
        Assert.Contains("fn paint(&mut self, layer: LayerRef<'_>, pen: PenRef<'_>) -> Result<String, Error>;", rust, StringComparison.Ordinal);

        // NativeAOT C#: a client, and no interface or table to serve it.
        string aot = Emit(BindingLanguage.CSharp);
        Assert.Contains("public readonly unsafe struct LayerClient", aot, StringComparison.Ordinal);
        Assert.DoesNotContain("public interface ILayer", aot, StringComparison.Ordinal);
        Assert.DoesNotContain("class LayerTable", aot, StringComparison.Ordinal);

        // The host: the class's table over the host API's own Layer, and no proxy (no plugin implements a host class).
        string host = Emit(BindingLanguage.CSharpHost);
        Assert.Contains("public static unsafe class LayerHostTable", host, StringComparison.Ordinal);
        Assert.Contains("NativeCall.TryGetHostObject<global::Shapes.Api.Layer>(ctx, out var target)", host, StringComparison.Ordinal);
        Assert.Contains("options.Interfaces.Register(LayerHostTable.Address, LayerHostTable.Layout);", host, StringComparison.Ordinal);
        Assert.DoesNotContain("class LayerProxy", host, StringComparison.Ordinal);
        Assert.Contains("public sealed unsafe class PainterProxy : global::Shapes.Api.IPainter", host, StringComparison.Ordinal);
        Assert.Contains("ReadOnlySpan<object> hostObjects = [layer ?? throw new ArgumentNullException(nameof(layer)), pen ?? throw new ArgumentNullException(nameof(pen))];", host, StringComparison.Ordinal);
    }
}
