using System.Runtime.CompilerServices;

namespace Plugboard.Contracts.Tests;

/// <summary>The contract model, read from real host API assemblies' metadata and XML docs.</summary>
public sealed class ContractReaderTests
{
    [Fact]
    public void The_Notebook_API_exports_its_notes_interface_in_declaration_order_with_the_thread_rule_of_its_docs()
    {
        ContractModel model = TestApis.Read(TestApis.Notebook);

        Assert.Empty(model.Diagnostics);
        Assert.Equal(["notebook.processor/1", "notebook.notes/1", "notebook.checker/1", "notebook.processor/2", "notebook.note/1", "notebook.store/1"], model.Interfaces.Select(i => i.Id));
        ContractInterface notes = model.FindInterface("notebook.notes/1")!;
        Assert.Equal("notebook.notes/1", notes.Id);
        Assert.Equal("Notebook.Api.INotebookNotes", notes.FullName);
        Assert.Equal("notebook_notes_v1", notes.NativeName);
        Assert.Equal(
            ["get_title() -> utf8", "get_body() -> utf8", "add_tag(utf8) -> void", "set_metric(utf8, f64) -> void", "count_words(utf8) -> i64", "add_note(utf8, utf8) -> i32", "get_note_id() -> i32"],
            notes.Methods.Select(m => m.Signature));
        Assert.All(notes.Methods, m => Assert.Equal("the invoking thread, during invoke", m.Documentation.Thread));
        Assert.Equal("Counts words the way the host's TextTools.CountWords does.", notes.Methods[4].Documentation.Summary);

        // The contract native plugins implement: the note's shared data by pointer, the note and store as a notes handle.
        ContractInterface processor = model.FindInterface("notebook.processor/1")!;
        Assert.Equal(["process(struct Notebook.Api.NoteInfo, handle notebook.notes/1) -> utf8"], processor.Methods.Select(m => m.Signature));
        Assert.Equal(["StructSize", "Id", "TagCount", "MetricCount"], Assert.Single(model.Structs).Fields.Select(f => f.Name));

        // The data-only contract the sample host runs out of process: strings in, a string out.
        ContractInterface checker = model.FindInterface("notebook.checker/1")!;
        Assert.Equal("Notebook.Api.INoteChecker", checker.FullName);
        Assert.Equal(["check(utf8, utf8) -> utf8"], checker.Methods.Select(m => m.Signature));

        // The contract itself, INoteProcessor, with the host's own Note and NotebookStore as handles to their classes' tables.
        ContractInterface contract = model.FindInterface("notebook.processor/2")!;
        Assert.Equal("Notebook.Api.INoteProcessor", contract.FullName);
        Assert.Equal(["get_name() -> utf8", "process(handle notebook.note/1, handle notebook.store/1) -> utf8"], contract.Methods.Select(m => m.Signature));
        ContractInterface note = model.FindInterface("notebook.note/1")!;
        Assert.True(note.IsClass);
        Assert.Equal(
            ["get_id() -> i32", "get_title() -> utf8", "get_body() -> utf8", "set_body(utf8) -> void", "get_author() -> utf8", "set_metric(utf8, f64) -> void",
             "add_tag(utf8) -> bool", "get_tag_count() -> i32", "count_words() -> i32"],
            note.Methods.Select(m => m.Signature));
        Assert.Equal(["add_note(utf8, utf8, utf8) -> i32", "get_count() -> i32"], model.FindInterface("notebook.store/1")!.Methods.Select(m => m.Signature));
    }

    [Fact]
    public void Every_supported_shape_is_read_with_its_ABI_signature()
    {
        ContractModel model = TestApis.Read(TestApis.Shapes);

        Assert.Empty(model.Diagnostics);
        Assert.Equal(["shapes.pen/1", "shapes.canvas/1", "shapes.layer/1", "shapes.painter/1"], model.Interfaces.Select(i => i.Id));
        ContractInterface canvas = model.FindInterface("shapes.canvas/1")!;
        Assert.Equal(
        [
            "describe() -> utf8",
            "set_title(utf8) -> void",
            "sum(span<struct Shapes.Api.Point>) -> f64",
            "fill(mutspan<i32>) -> void",
            "count_positive(span<i64>) -> i32",
            "center(struct Shapes.Api.Rect) -> struct Shapes.Api.Point",
            "is_empty() -> bool",
            "set_visible(bool) -> void",
            "get_mood() -> enum Shapes.Api.Mood",
            "snapshot() -> span<u8>",
            "checksum(span<u8>) -> u64",
            "draw(handle shapes.pen/1, struct Shapes.Api.Point) -> void",
            "get_scale() -> f32",
            "set_scale(f32) -> void",
        ], canvas.Methods.Select(m => m.Signature));
        Assert.Equal(["Describe()", "SetTitle(string)"], canvas.Methods.Take(2).Select(m => m.DisplayName));
        Assert.Equal(["Scale { get; }", "Scale { set; }"], canvas.Methods.TakeLast(2).Select(m => m.DisplayName));
        // The member's own <thread> wins over the interface's; <ownership> is taken as written.
        Assert.Equal("the invoking thread, during invoke", canvas.Methods[0].Documentation.Thread);
        Assert.Equal("any", canvas.Methods[1].Documentation.Thread);
        Assert.Equal("title borrowed; the host copies it", canvas.Methods[1].Documentation.Ownership);

        SharedEnum mood = Assert.Single(model.Enums, e => e.Name == "Mood");
        Assert.Equal(ScalarType.Int32, mood.Underlying);
        Assert.Equal([("Calm", 0L), ("Busy", 1L)], mood.Members.Select(m => (m.Name, m.Value)));
        SharedEnum level = Assert.Single(model.Enums, e => e.Name == "Level");
        Assert.Equal(ScalarType.UInt8, level.Underlying);
        Assert.Equal([1L, 200L], level.Members.Select(m => m.Value));
    }

    [Fact]
    public unsafe void Shared_struct_layouts_are_the_ones_the_runtime_gives_the_CSharp_structs()
    {
        ContractModel model = TestApis.Read(TestApis.Shapes);

        // Rect holds a Point, so Point comes first (the C header needs that order).
        Assert.Equal(["Shapes.Api.Point", "Shapes.Api.Rect"], model.Structs.Select(s => s.FullName));
        SharedStruct point = model.FindStruct("Shapes.Api.Point")!;
        SharedStruct rect = model.FindStruct("Shapes.Api.Rect")!;
        Assert.Equal(Unsafe.SizeOf<Shapes.Api.Point>(), point.Size);
        Assert.Equal(Unsafe.SizeOf<Shapes.Api.Rect>(), rect.Size);

        var value = default(Shapes.Api.Rect);
        byte* start = (byte*)&value;
        int[] actual =
        [
            (int)((byte*)&value.StructSize - start), (int)((byte*)&value.TopLeft - start), (int)((byte*)&value.Filled - start),
            (int)((byte*)&value.Mood - start), (int)((byte*)&value.Level - start), (int)((byte*)&value.Width - start), (int)((byte*)&value.Id - start),
        ];
        Assert.Equal(actual, rect.Fields.Select(f => f.Offset));
        Assert.Equal(["StructSize", "TopLeft", "Filled", "Mood", "Level", "Width", "Id"], rect.Fields.Select(f => f.Name));
    }

    [Theory]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.TakeChar(char)", "parameter 'letter' of type 'char' cannot cross the boundary: char is a UTF-16 code unit")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.TakeNote(Bad.Api.Note)", "'Bad.Api.Note' is a class that is not exported: mark it [ExportedClass(\"name/1\")] to pass its objects as handles")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.GiveNote()", "the return type 'Bad.Api.Note' cannot cross the boundary")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.TakeRef(ref int)", "ref, out and in parameters are not supported")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.TakeUnmarked(Bad.Api.Unmarked)", "'Bad.Api.Unmarked' is not shared data; mark it [SharedData].")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.TakeNames(System.ReadOnlySpan<string>)", "its element type 'string' cannot")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.GiveSpan()", "a span cannot be returned (nothing would own its memory)")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.GiveOther()", "a handle can be passed as a parameter, not returned")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.TakeHidden(Bad.Api.IHidden)", "the interface 'Bad.Api.IHidden' is not exported; mark it [ExportedInterface(\"name/1\")]")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.TakeList(System.Collections.Generic.List<int>)", "only ReadOnlySpan<T> and Span<T> are")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.TakeDate(System.DateTime)", "'System.DateTime' is defined outside the host API")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.IEverything.TakeNoSize(Bad.Api.NoSize)", "the shared struct 'Bad.Api.NoSize' is itself invalid")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.WithString.Text", "a string cannot be a struct field")]
    [InlineData(ContractDiagnosticIds.UnsupportedMember, "Bad.Api.IEverything.Changed", "events cannot be exported")]
    [InlineData(ContractDiagnosticIds.UnsupportedMember, "Bad.Api.IEverything.Generic(!!0)", "generic methods cannot be exported")]
    [InlineData(ContractDiagnosticIds.UnsupportedMember, "Bad.Api.IEverything.WithBody()", "members with a default implementation cannot be exported")]
    [InlineData(ContractDiagnosticIds.UnsupportedMember, "Bad.Api.IEverything.Create()", "static interface members cannot be exported")]
    [InlineData(ContractDiagnosticIds.UnsupportedMember, "Bad.Api.IDerived", "an exported interface cannot extend other interfaces")]
    [InlineData(ContractDiagnosticIds.NameCollision, "Bad.Api.IEverything.Put(long)", "its function would be named 'put' like Put(int)'s: C has no overloads.")]
    [InlineData(ContractDiagnosticIds.NameCollision, "Bad.Api.IEverything.Clash(int)", "parameter 'ctx' becomes 'ctx' in the bindings, which is already the object's context")]
    [InlineData(ContractDiagnosticIds.UnsupportedMember, "Bad.Api.IGeneric`1", "generic interfaces cannot be exported")]
    [InlineData(ContractDiagnosticIds.InvalidSharedData, "Bad.Api.Pair`1", "a generic struct has no single layout")]
    [InlineData(ContractDiagnosticIds.NameCollision, "Bad.Api.ITwins.Tag(string, int)", "parameter 'tag_len' becomes 'tag_len' in the bindings, which is already parameter 'tag'")]
    [InlineData(ContractDiagnosticIds.NameCollision, "Bad.Api.Again.Sample", "its bindings would declare 'bad_sample', which the bindings of Bad.Api.Sample declare too")]
    [InlineData(ContractDiagnosticIds.InvalidInterfaceId, "Bad.Api.IUnversioned", "the id 'bad.unversioned' is not a versioned id")]
    [InlineData(ContractDiagnosticIds.InvalidInterfaceId, "Bad.Api.IDuplicate", "the id 'bad.other/1' is already the id of Bad.Api.IOther")]
    [InlineData(ContractDiagnosticIds.InvalidSharedData, "Bad.Api.NoSize", "the first field is 'int Value'; a shared struct starts with 'public uint StructSize;'")]
    [InlineData(ContractDiagnosticIds.InvalidSharedData, "Bad.Api.Overlapping", "a shared struct must have the default sequential layout")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.Store.Items { get; }", "the return type 'System.Collections.Generic.List<int>' cannot cross the boundary")]
    [InlineData(ContractDiagnosticIds.UnsupportedMember, "Bad.Api.Store.Changed", "events cannot be exported: native code cannot hold a .NET delegate. Export a callback interface and pass it as a handle, or let the plugin poll. Mark it [NotExported]")]
    [InlineData(ContractDiagnosticIds.UnsupportedMember, "Bad.Api.Store.Create()", "static members are not members of an object")]
    [InlineData(ContractDiagnosticIds.UnsupportedShape, "Bad.Api.Store.Self()", "'Bad.Api.Store' is an exported class; a handle can be passed as a parameter, not returned")]
    [InlineData(ContractDiagnosticIds.DuplicateHandleType, "Bad.Api.Store.Merge(Bad.Api.Store, Bad.Api.Store)", "parameters 'first' and 'second' are both handles of Bad.Api.Store (bad.store/1); a function takes at most one handle per exported type")]
    [InlineData(ContractDiagnosticIds.UnsupportedMember, "Bad.Api.LongShelf", "an exported class derives from object directly: the members of its base class 'Bad.Api.Shelf' would be in no table")]
    [InlineData(ContractDiagnosticIds.UnsupportedMember, "Bad.Api.IPartial.Skip", "[NotExported] leaves members out of an [ExportedClass]'s table; every member of an exported interface is in its table")]
    public void Every_unsupported_member_is_an_error_naming_it(string id, string member, string fragment)
    {
        ContractModel model = TestApis.Read(TestApis.Bad);

        ContractDiagnostic diagnostic = Assert.Single(model.Diagnostics, d => d.Member == member && d.Id == id);
        Assert.Equal(ContractDiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(fragment, diagnostic.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{id} error: {member}: ", diagnostic.ToString(), StringComparison.Ordinal);
        if (id == ContractDiagnosticIds.UnsupportedShape && !member.StartsWith("Bad.Api.WithString", StringComparison.Ordinal))
        {
            // Every shape error lists what is supported.
            Assert.EndsWith("[ExportedInterface] interfaces and [ExportedClass] classes as parameters (opaque handles, one per type); void.", diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_exported_class_is_a_table_of_its_public_instance_members_in_declaration_order()
    {
        ContractModel model = TestApis.Read(TestApis.Shapes);

        ContractInterface layer = model.FindInterface("shapes.layer/1")!;
        Assert.True(layer.IsClass);
        Assert.Equal("Layer", layer.TypeName);
        Assert.Equal("shapes_layer_v1", layer.NativeName);
        // Constructors, the internal setter, the init setter, the private field and the internal method are not
        // members plugins could call; [NotExported] left out the collection, the event and the static factory.
        Assert.Equal(
            ["get_name() -> utf8", "set_name(utf8) -> void", "get_id() -> i32", "get_owner() -> utf8", "get_opacity() -> f64", "set_opacity(f64) -> void",
             "get_visible() -> bool", "set_visible(bool) -> void", "add(struct Shapes.Api.Point) -> i32", "get_mood() -> enum Shapes.Api.Mood"],
            layer.Methods.Select(m => m.Signature));
        Assert.Equal("the calling thread, during the call it was passed to", layer.Methods[0].Documentation.Thread);
        Assert.Equal("Name { get; }", layer.Methods[0].DisplayName);
        Assert.False(model.FindInterface("shapes.pen/1")!.IsClass);

        // A contract taking the class and an interface: two handles of two types.
        ContractInterface painter = model.FindInterface("shapes.painter/1")!;
        Assert.False(painter.IsClass);
        Assert.Equal(["get_name() -> utf8", "paint(handle shapes.layer/1, handle shapes.pen/1) -> utf8"], painter.Methods.Select(m => m.Signature));
        Assert.Equal("Shapes.Api.Layer", painter.Methods[1].Parameters[0].Shape.TypeName);
        Assert.DoesNotContain(model.Diagnostics, d => d.Member.StartsWith("Shapes.Api.Layer", StringComparison.Ordinal) || d.Member.StartsWith("Shapes.Api.IPainter", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_with_errors_exports_only_the_valid_interfaces_and_emits_no_bindings()
    {
        ContractModel model = TestApis.Read(TestApis.Bad);

        Assert.True(model.HasErrors);
        Assert.Equal(["bad.other/1", "bad.undocumented/1"], model.Interfaces.Select(i => i.Id));
        ContractDiagnostic warning = Assert.Single(model.Diagnostics, d => d.Severity == ContractDiagnosticSeverity.Warning);
        Assert.Equal(ContractDiagnosticIds.MissingThreadRule, warning.Id);
        Assert.Equal("Bad.Api.IUndocumented.Touch()", warning.Member);
        var refused = Assert.Throws<InvalidOperationException>(() => ContractBindings.Emit(model, BindingLanguage.C));
        Assert.Contains("PLUGBOARD010 error: Bad.Api.IEverything.TakeChar(char)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_loads_nothing_and_leaves_no_file_open()
    {
        string directory = TestApis.NewTempDirectory("noload");
        string copy = Path.Combine(directory, "Bad.Api.dll");
        File.Copy(TestApis.Bad, copy);

        ContractModel model = ContractReader.Read(copy);

        Assert.NotEmpty(model.Diagnostics);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "Bad.Api");
        // Without the XML file beside it, members have no docs: every function lacks its thread rule.
        Assert.Contains(model.Diagnostics, d => d.Id == ContractDiagnosticIds.MissingThreadRule && d.Member == "Bad.Api.IOther.Touch()");
        File.Delete(copy);
        Assert.False(File.Exists(copy));
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_refused()
    {
        string path = Path.Combine(TestApis.NewTempDirectory("notdll"), "Api.dll");
        File.WriteAllText(path, "not a PE file");

        Assert.Throws<BadImageFormatException>(() => ContractReader.Read(path));
    }
}
