namespace Plugboard.Contracts;

/// <summary>An interface exported across the plugin boundary: a versioned id and a table of functions, in declaration order.</summary>
public sealed class ContractInterface
{
    /// <summary>Creates an interface.</summary>
    /// <param name="id">The versioned id (<c>notebook.notes/1</c>).</param>
    /// <param name="fullName">The C# interface's full name.</param>
    /// <param name="methods">The functions, in declaration order.</param>
    /// <param name="documentation">What the XML docs say about the interface (its <c>&lt;thread&gt;</c> is every member's default).</param>
    public ContractInterface(string id, string fullName, IReadOnlyList<ContractMethod> methods, MemberDocumentation documentation)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(methods);
        Id = id;
        FullName = fullName;
        Methods = methods;
        Documentation = documentation;
        int slash = id.LastIndexOf('/');
        Name = id[..slash];
        Major = int.Parse(id[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        LayoutHash = Layout.LayoutHash.Of(Layout.LayoutHash.InterfaceText(id, methods.Count, methods));
    }

    /// <summary>The versioned id (<c>notebook.notes/1</c>).</summary>
    public string Id { get; }

    /// <summary>The id without its major (<c>notebook.notes</c>).</summary>
    public string Name { get; }

    /// <summary>The interface's major version, the number after the slash.</summary>
    public int Major { get; }

    /// <summary>The C# interface's full name.</summary>
    public string FullName { get; }

    /// <summary>The functions, in declaration order (the table's order).</summary>
    public IReadOnlyList<ContractMethod> Methods { get; }

    /// <summary>What the XML docs say about the interface.</summary>
    public MemberDocumentation Documentation { get; }

    /// <summary>
    /// Whether this is an <c>[ExportedClass]</c>: a host class whose public instance members form the table. Only the host
    /// serves it (over its own object, reached through the call's handle); plugins only call it, so the bindings emit a
    /// client for it and no table for a plugin to serve.
    /// </summary>
    public bool IsClass { get; init; }

    /// <summary>The table's layout hash: the id and every member's signature, in order.</summary>
    public ulong LayoutHash { get; }

    /// <summary>The C name of the table type: the id with dots as underscores and the major as <c>_vN</c> (<c>notebook_notes_v1</c>).</summary>
    public string NativeName => Bindings.NativeNames.Snake(Name.Replace('.', '_')) + "_v" + Major.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The C# name without the interface's <c>I</c> prefix (<c>NotebookNotes</c>; a class's name as it is), for the Rust trait and client.</summary>
    public string TypeName
    {
        get
        {
            string simple = FullName[(FullName.LastIndexOf('.') + 1)..];
            return !IsClass && simple.Length > 1 && simple[0] == 'I' && char.IsUpper(simple[1]) ? simple[1..] : simple;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Id;
}
