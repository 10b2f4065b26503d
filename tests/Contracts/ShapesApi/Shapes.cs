using Plugboard;

// A host API using every shape the bindings support. ShapesApi.Reordered and ShapesApi.Appended compile this same
// file with REORDERED or APPENDED into an assembly of the same name: the next build of this API, changed incompatibly
// (two members swapped, a field retyped) or compatibly (members appended).
namespace Shapes.Api;

/// <summary>How a canvas feels today.</summary>
[SharedData]
public enum Mood
{
    /// <summary>Nothing going on.</summary>
    Calm = 0,
    /// <summary>Many strokes.</summary>
    Busy = 1,
#if APPENDED
    /// <summary>Added in the next build.</summary>
    Sleepy = 2,
#endif
}

/// <summary>A small unsigned enum.</summary>
[SharedData]
public enum Level : byte
{
    /// <summary>Low.</summary>
    Low = 1,
    /// <summary>High.</summary>
    High = 200,
}

/// <summary>A point on the canvas.</summary>
[SharedData]
public struct Point
{
    /// <summary>The struct's size as the sender compiled it.</summary>
    public uint StructSize;
    /// <summary>Horizontal position.</summary>
    public double X;
#if REORDERED
    /// <summary>Vertical position, retyped.</summary>
    public float Y;
#else
    /// <summary>Vertical position.</summary>
    public double Y;
#endif
#if APPENDED
    /// <summary>Depth, appended in the next build.</summary>
    public double Z;
#endif
}

/// <summary>A rectangle with a style.</summary>
[SharedData]
public struct Rect
{
    /// <summary>The struct's size as the sender compiled it.</summary>
    public uint StructSize;
    /// <summary>One corner.</summary>
    public Point TopLeft;
    /// <summary>Whether it is filled.</summary>
    public bool Filled;
    /// <summary>Its mood.</summary>
    public Mood Mood;
    /// <summary>Its level.</summary>
    public Level Level;
    /// <summary>A width in pixels.</summary>
    public ushort Width;
    /// <summary>An id.</summary>
    public long Id;
}

/// <summary>A pen the host lends to the canvas.</summary>
/// <thread>any</thread>
[ExportedInterface("shapes.pen/1")]
public interface IPen
{
    /// <summary>Moves the pen.</summary>
    /// <param name="x">Horizontal.</param>
    /// <param name="y">Vertical.</param>
    void MoveTo(double x, double y);

    /// <summary>How many strokes the pen made.</summary>
    int Strokes { get; }
}

/// <summary>A canvas plugins draw on.</summary>
/// <thread>any</thread>
[ExportedInterface("shapes.canvas/1")]
public interface ICanvas
{
    /// <summary>A description of the canvas.</summary>
    /// <returns>The text.</returns>
    /// <thread>the invoking thread, during invoke</thread>
    string Describe();

#if REORDERED
    /// <summary>The sum of the points' coordinates.</summary>
    /// <param name="points">The points.</param>
    /// <returns>The sum.</returns>
    double Sum(ReadOnlySpan<Point> points);

    /// <summary>Sets the title.</summary>
    /// <param name="title">Any text.</param>
    /// <ownership>title borrowed; the host copies it</ownership>
    void SetTitle(string title);
#else
    /// <summary>Sets the title.</summary>
    /// <param name="title">Any text.</param>
    /// <ownership>title borrowed; the host copies it</ownership>
    void SetTitle(string title);

    /// <summary>The sum of the points' coordinates.</summary>
    /// <param name="points">The points.</param>
    /// <returns>The sum.</returns>
    double Sum(ReadOnlySpan<Point> points);
#endif

    /// <summary>Fills the span with 1, 2, 3, ...</summary>
    /// <param name="values">The caller's buffer.</param>
    void Fill(Span<int> values);

    /// <summary>Counts values above zero.</summary>
    /// <param name="values">The values.</param>
    /// <returns>How many are positive.</returns>
    int CountPositive(long[] values);

    /// <summary>The centre of a rectangle, as a point.</summary>
    /// <param name="rect">The rectangle.</param>
    /// <returns>Its top-left corner moved by its width.</returns>
    Point Center(Rect rect);

    /// <summary>Whether the canvas is empty.</summary>
    /// <returns>True when empty.</returns>
    bool IsEmpty();

    /// <summary>Sets whether the canvas is visible.</summary>
    /// <param name="visible">Visible or not.</param>
    void SetVisible(bool visible);

    /// <summary>The canvas's mood.</summary>
    /// <returns>The mood.</returns>
    Mood GetMood();

    /// <summary>A snapshot of the pixels.</summary>
    /// <returns>The bytes.</returns>
    byte[] Snapshot();

    /// <summary>A checksum of bytes.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>Their sum.</returns>
    ulong Checksum(ReadOnlySpan<byte> data);

    /// <summary>Draws with the host's pen.</summary>
    /// <param name="pen">The pen (a handle, borrowed for the call).</param>
    /// <param name="to">Where to.</param>
    void Draw(IPen pen, Point to);

    /// <summary>The canvas's scale.</summary>
    float Scale { get; set; }

#if APPENDED
    /// <summary>Appended in the next build.</summary>
    void Clear();
#endif
}

/// <summary>A layer of the host's drawing: a host object plugins reach by handle, never by copy.</summary>
/// <thread>the calling thread, during the call it was passed to</thread>
[ExportedClass("shapes.layer/1")]
public sealed class Layer
{
    private readonly List<Point> _points = [];

    /// <summary>Creates a layer (not in the table: plugins get layers, they do not make them).</summary>
    /// <param name="name">Its name.</param>
    public Layer(string name) => Name = name;

    /// <summary>The layer's name.</summary>
    public string Name { get; set; }

    /// <summary>The layer's id (set by the host only).</summary>
    public int Id { get; internal set; }

    /// <summary>Who made the layer (set once, when it is made: not in the table).</summary>
    public string Owner { get; init; } = "host";

    /// <summary>How opaque the layer is, 0 to 1.</summary>
    public double Opacity { get; set; } = 1;

    /// <summary>Whether the layer is shown.</summary>
    public bool Visible { get; set; } = true;

    /// <summary>The points (a collection cannot cross: left out).</summary>
    [NotExported]
    public IReadOnlyList<Point> Points => _points;

    /// <summary>Raised when a point is added (a delegate cannot cross: left out).</summary>
    [NotExported]
    public event EventHandler? PointAdded;

    /// <summary>Adds a point.</summary>
    /// <param name="point">The point.</param>
    /// <returns>How many points the layer has now.</returns>
    public int Add(Point point)
    {
        _points.Add(point);
        PointAdded?.Invoke(this, EventArgs.Empty);
        return _points.Count;
    }

    /// <summary>The layer's mood (busy past 2 points).</summary>
    /// <returns>The mood.</returns>
    public Mood GetMood() => _points.Count > 2 ? Mood.Busy : Mood.Calm;

    /// <summary>A layer made from another (a static factory: left out).</summary>
    /// <param name="other">The original.</param>
    /// <returns>The copy.</returns>
    [NotExported]
    public static Layer CopyOf(Layer other) => new(other.Name);

    internal void Reset() => _points.Clear();
}

/// <summary>A plugin that paints a host layer with the host's pen: a contract taking a host object and a host service.</summary>
/// <thread>any host thread; serialized unless the plugin is thread-safe</thread>
[ExportedInterface("shapes.painter/1")]
public interface IPainter
{
    /// <summary>The painter's name.</summary>
    string Name { get; }

    /// <summary>Paints the layer.</summary>
    /// <param name="layer">The host's layer (a handle, valid during the call).</param>
    /// <param name="pen">The host's pen (a handle, valid during the call).</param>
    /// <returns>What the painter did.</returns>
    string Paint(Layer layer, IPen pen);
}
