namespace Plugboard.Contracts.Tests;

/// <summary>
/// Layout hashes and the compatibility rule, on three real builds of one host API: the baseline, one with members
/// appended (compatible) and one with two members swapped and a field retyped (needs a new id).
/// </summary>
public sealed class LayoutTests
{
    [Fact]
    public void Hashes_are_computed_from_the_canonical_layout_text_and_are_the_same_on_every_read()
    {
        ContractModel first = TestApis.Read(TestApis.Shapes);
        ContractModel second = TestApis.Read(TestApis.Shapes);

        ContractInterface canvas = first.FindInterface("shapes.canvas/1")!;
        Assert.Equal(LayoutHash.Of("describe() -> utf8"), canvas.Methods[0].LayoutHash);
        Assert.Equal(LayoutHash.Of(LayoutHash.InterfaceText(canvas.Id, canvas.Methods.Count, canvas.Methods)), canvas.LayoutHash);
        Assert.Equal(first.Interfaces.Select(i => i.LayoutHash), second.Interfaces.Select(i => i.LayoutHash));
        Assert.Equal(first.Structs.Select(s => s.LayoutHash), second.Structs.Select(s => s.LayoutHash));
        Assert.Empty(LayoutComparison.Compare(first, second));
        Assert.Matches("^0x[0-9a-f]{16}$", LayoutHash.Format(canvas.LayoutHash));
    }

    [Fact]
    public void Appending_members_keeps_the_id_compatible()
    {
        ContractModel baseline = TestApis.Read(TestApis.Shapes);
        ContractModel appended = TestApis.Read(TestApis.ShapesAppended);

        IReadOnlyList<LayoutChange> changes = LayoutComparison.Compare(baseline, appended);

        Assert.All(changes, c => Assert.True(c.IsCompatible, c.ToString()));
        Assert.Equal(
            [("shapes.canvas/1", "Clear()"), ("Shapes.Api.Point", "Z"), ("Shapes.Api.Mood", "Sleepy")],
            changes.Select(c => (c.Subject, c.Member!)));
        Assert.Empty(LayoutComparison.ToDiagnostics(changes));
        // A plugin built against the baseline records its member hashes; the appended host accepts them.
        ContractInterface before = baseline.FindInterface("shapes.canvas/1")!;
        ContractInterface after = appended.FindInterface("shapes.canvas/1")!;
        Assert.NotEqual(before.LayoutHash, after.LayoutHash);
        Assert.Null(LayoutComparison.CheckRecorded(after, [.. before.Methods.Select(m => m.LayoutHash)]));
    }

    [Fact]
    public void A_reordered_or_retyped_member_is_incompatible_and_the_first_member_that_differs_is_named()
    {
        ContractModel baseline = TestApis.Read(TestApis.Shapes);
        ContractModel reordered = TestApis.Read(TestApis.ShapesReordered);

        IReadOnlyList<LayoutChange> changes = LayoutComparison.Compare(baseline, reordered);

        LayoutChange canvas = Assert.Single(changes, c => c.Subject == "shapes.canvas/1");
        Assert.Equal(LayoutChangeKind.Incompatible, canvas.Kind);
        Assert.Equal("SetTitle(string)", canvas.Member);
        Assert.Equal(
            "member #2 was SetTitle(string) (set_title(utf8) -> void) and is now Sum(System.ReadOnlySpan<Shapes.Api.Point>) (sum(span<struct Shapes.Api.Point>) -> f64). "
            + "Appending members keeps 'shapes.canvas/1' compatible; any other change needs a new interface id ('shapes.canvas/2').",
            canvas.Message);
        LayoutChange point = Assert.Single(changes, c => c.Subject == "Shapes.Api.Point");
        Assert.Equal("Y", point.Member);
        Assert.Contains("was Y (f64 Y) and is now Y (f32 Y)", point.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(changes, c => c.Subject == "shapes.pen/1");

        IReadOnlyList<ContractDiagnostic> diagnostics = LayoutComparison.ToDiagnostics(changes);
        Assert.All(diagnostics, d => Assert.Equal(ContractDiagnosticIds.IncompatibleLayout, d.Id));
        Assert.Contains(diagnostics, d => d.Member == "shapes.canvas/1 SetTitle(string)");
    }

    [Fact]
    public void Recorded_member_hashes_from_another_build_name_the_first_member_that_differs()
    {
        ContractInterface baseline = TestApis.Read(TestApis.Shapes).FindInterface("shapes.canvas/1")!;
        ContractInterface reordered = TestApis.Read(TestApis.ShapesReordered).FindInterface("shapes.canvas/1")!;
        ContractInterface appended = TestApis.Read(TestApis.ShapesAppended).FindInterface("shapes.canvas/1")!;

        LayoutChange? mismatch = LayoutComparison.CheckRecorded(reordered, [.. baseline.Methods.Select(m => m.LayoutHash)]);
        Assert.NotNull(mismatch);
        Assert.Equal("Sum(System.ReadOnlySpan<Shapes.Api.Point>)", mismatch.Member);
        Assert.StartsWith("member #2 (sum(span<struct Shapes.Api.Point>) -> f64, hash 0x", mismatch.Message, StringComparison.Ordinal);

        // A plugin built against the newer (appended) API on the older host: it knows a member the host lacks.
        LayoutChange? newer = LayoutComparison.CheckRecorded(baseline, [.. appended.Methods.Select(m => m.LayoutHash)]);
        Assert.NotNull(newer);
        Assert.Contains("the plugin was built against 15 members and this host has 14: member #15 is unknown here", newer.Message, StringComparison.Ordinal);
    }
}
