using System.Runtime.InteropServices;
using Plugboard;

// A host API whose exported surface has every kind of member the bindings cannot express: each must be a diagnostic
// naming the member, never a binding that is silently wrong.
namespace Bad.Api;

/// <summary>A class: objects cannot cross.</summary>
public sealed class Note
{
    /// <summary>The title.</summary>
    public string Title { get; set; } = string.Empty;
}

/// <summary>A struct nobody marked [SharedData].</summary>
public struct Unmarked
{
    /// <summary>A value.</summary>
    public int Value;
}

/// <summary>A shared struct without the leading StructSize.</summary>
[SharedData]
public struct NoSize
{
    /// <summary>A value.</summary>
    public int Value;
}

/// <summary>A shared struct holding a string.</summary>
[SharedData]
public struct WithString
{
    /// <summary>The size.</summary>
    public uint StructSize;
    /// <summary>Text: not plain data.</summary>
    public string Text;
}

/// <summary>A shared struct with an explicit layout.</summary>
[SharedData]
[StructLayout(LayoutKind.Explicit)]
public struct Overlapping
{
    /// <summary>The size.</summary>
    [FieldOffset(0)] public uint StructSize;
    /// <summary>Overlaps.</summary>
    [FieldOffset(0)] public int Other;
}

/// <summary>Not exported.</summary>
public interface IHidden
{
    /// <summary>A member.</summary>
    void Touch();
}

/// <summary>Exported.</summary>
/// <thread>any</thread>
[ExportedInterface("bad.other/1")]
public interface IOther
{
    /// <summary>A member.</summary>
    void Touch();
}

/// <summary>Every unsupported member kind and shape.</summary>
/// <thread>any</thread>
[ExportedInterface("bad.everything/1")]
public interface IEverything
{
    /// <summary>A char parameter.</summary>
    /// <param name="letter">UTF-16.</param>
    void TakeChar(char letter);

    /// <summary>A class parameter.</summary>
    /// <param name="note">An object.</param>
    void TakeNote(Note note);

    /// <summary>A class return.</summary>
    /// <returns>An object.</returns>
    Note GiveNote();

    /// <summary>A ref parameter.</summary>
    /// <param name="value">By reference.</param>
    void TakeRef(ref int value);

    /// <summary>An unmarked struct.</summary>
    /// <param name="value">Not shared.</param>
    void TakeUnmarked(Unmarked value);

    /// <summary>A span of strings.</summary>
    /// <param name="names">Strings.</param>
    void TakeNames(ReadOnlySpan<string> names);

    /// <summary>A returned span.</summary>
    /// <returns>Nobody owns it.</returns>
    ReadOnlySpan<int> GiveSpan();

    /// <summary>A returned handle.</summary>
    /// <returns>A handle.</returns>
    IOther GiveOther();

    /// <summary>A handle to an interface that is not exported.</summary>
    /// <param name="hidden">Not exported.</param>
    void TakeHidden(IHidden hidden);

    /// <summary>A list.</summary>
    /// <param name="items">Generic.</param>
    void TakeList(List<int> items);

    /// <summary>A struct from outside the host API.</summary>
    /// <param name="when">A framework struct.</param>
    void TakeDate(DateTime when);

    /// <summary>A generic method.</summary>
    /// <typeparam name="T">Any.</typeparam>
    /// <param name="value">Any.</param>
    void Generic<T>(T value);

    /// <summary>An event.</summary>
    event EventHandler? Changed;

    /// <summary>Overloaded once.</summary>
    /// <param name="value">An int.</param>
    void Put(int value);

    /// <summary>Overloaded twice.</summary>
    /// <param name="value">A long.</param>
    void Put(long value);

    /// <summary>A parameter named like the context.</summary>
    /// <param name="ctx">Clashes.</param>
    void Clash(int ctx);

    /// <summary>A default implementation.</summary>
    void WithBody() { }

    /// <summary>A static member.</summary>
    static abstract void Create();

    /// <summary>Shared data without StructSize.</summary>
    /// <param name="value">Invalid struct.</param>
    void TakeNoSize(NoSize value);

    /// <summary>Shared data with a string field.</summary>
    /// <param name="value">Invalid struct.</param>
    void TakeWithString(WithString value);
}

/// <summary>A generic shared struct.</summary>
/// <typeparam name="T">Any.</typeparam>
[SharedData]
public struct Pair<T>
{
    /// <summary>The size.</summary>
    public uint StructSize;
    /// <summary>A value.</summary>
    public T First;
}

/// <summary>A generic exported interface.</summary>
/// <typeparam name="T">Any.</typeparam>
/// <thread>any</thread>
[ExportedInterface("bad.generic/1")]
public interface IGeneric<T>
{
    /// <summary>A member.</summary>
    void Touch();
}

/// <summary>Names that meet in the bindings.</summary>
/// <thread>any</thread>
[ExportedInterface("bad.twins/1")]
public interface ITwins
{
    /// <summary>A string and a parameter named like its length.</summary>
    /// <param name="tag">A string.</param>
    /// <param name="tag_len">Clashes with the string's length.</param>
    void Tag(string tag, int tag_len);
}

/// <summary>A valid shared struct.</summary>
[SharedData]
public struct Sample
{
    /// <summary>The size.</summary>
    public uint StructSize;
    /// <summary>A value.</summary>
    public int Value;
}

/// <summary>An id without a version.</summary>
[ExportedInterface("bad.unversioned")]
public interface IUnversioned
{
    /// <summary>A member.</summary>
    void Touch();
}

/// <summary>The id of another interface.</summary>
/// <thread>any</thread>
[ExportedInterface("bad.other/1")]
public interface IDuplicate
{
    /// <summary>A member.</summary>
    void Touch();
}

/// <summary>Inherits.</summary>
/// <thread>any</thread>
[ExportedInterface("bad.derived/1")]
public interface IDerived : IOther
{
    /// <summary>A member.</summary>
    void More();
}

/// <summary>Valid, but its member documents no thread rule.</summary>
[ExportedInterface("bad.undocumented/1")]
public interface IUndocumented
{
    /// <summary>No thread rule.</summary>
    void Touch();
}

/// <summary>A base class.</summary>
public class Shelf
{
    /// <summary>A member of the base.</summary>
    public int Width { get; set; }
}

/// <summary>An exported class with every member kind its table cannot hold, unmarked.</summary>
/// <thread>any</thread>
[ExportedClass("bad.store/1")]
public sealed class Store
{
    /// <summary>A collection: cannot cross.</summary>
    public List<int> Items { get; } = [];

    /// <summary>The same collection, left out on purpose: no diagnostic.</summary>
    [NotExported]
    public List<int> Hidden => Items;

    /// <summary>An event, unmarked.</summary>
    public event EventHandler? Changed;

    /// <summary>A static member, unmarked.</summary>
    /// <returns>A store.</returns>
    public static Store Create() => new();

    /// <summary>Returns a host object: a handle cannot be returned.</summary>
    /// <returns>The store.</returns>
    public Store Self() => this;

    /// <summary>Two handles of one type.</summary>
    /// <param name="first">One store.</param>
    /// <param name="second">Another.</param>
    public void Merge(Store first, Store second) => Changed?.Invoke(first, EventArgs.Empty);
}

/// <summary>Derives from a class other than object.</summary>
/// <thread>any</thread>
[ExportedClass("bad.long.shelf/1")]
public sealed class LongShelf : Shelf
{
    /// <summary>A member.</summary>
    public int Length { get; set; }
}

/// <summary>[NotExported] on an interface member.</summary>
/// <thread>any</thread>
[ExportedInterface("bad.partial/1")]
public interface IPartial
{
    /// <summary>A member.</summary>
    void Touch();

    /// <summary>Left out: an interface cannot leave out a member.</summary>
    [NotExported]
    void Skip();
}
