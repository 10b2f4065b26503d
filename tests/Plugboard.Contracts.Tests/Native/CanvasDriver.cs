// Compiled by CSharpBindingTests together with the C# file bindgen emits for tests/Contracts/ShapesApi (what a NativeAOT
// plugin compiles): an implementation of shapes.canvas/1 and shapes.pen/1 served through the generated tables, called
// through the generated clients, and the tables' argument checks called with bad input through the raw ABI.
#nullable enable
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Shapes.Api.Native;

public static unsafe class CanvasDriver
{
    private sealed class Pen : IPen
    {
        public int StrokeCount;

        public void MoveTo(double x, double y) => StrokeCount++;

        public int GetStrokes() => StrokeCount;
    }

    private sealed class Canvas : ICanvas
    {
        private string _title = string.Empty;
        private bool _visible;
        private float _scale = 1;

        public string Describe() => $"canvas '{_title}' ü";

        public void SetTitle(string title) => _title = title.Length > 0 ? title : throw new NativeCallException("shapes.canvas/1", "set_title", -2, "empty title");

        public double Sum(ReadOnlySpan<Point> points)
        {
            double sum = 0;
            foreach (Point point in points)
            {
                sum += point.X + point.Y;
            }
            return sum;
        }

        public void Fill(Span<int> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = i + 1;
            }
        }

        public int CountPositive(ReadOnlySpan<long> values)
        {
            int count = 0;
            foreach (long value in values)
            {
                count += value > 0 ? 1 : 0;
            }
            return count;
        }

        public Point Center(in Rect rect)
        {
            Point point = Point.Create();
            point.X = rect.TopLeft.X + rect.Width;
            point.Y = rect.TopLeft.Y + rect.Id;
            return point;
        }

        public bool IsEmpty() => !_visible;

        public void SetVisible(bool visible) => _visible = visible;

        public Mood GetMood() => Mood.Busy;

        public byte[] Snapshot() => [1, 2, 3, 255];

        public ulong Checksum(ReadOnlySpan<byte> data)
        {
            ulong sum = 0;
            foreach (byte b in data)
            {
                sum += b;
            }
            return sum;
        }

        public void Draw(PenClient pen, in Point to)
        {
            pen.MoveTo(to.X, to.Y);
            pen.MoveTo(0, 0);
        }

        public float GetScale() => _scale;

        public void SetScale(float value) => _scale = value <= 100 ? value : throw new InvalidOperationException("scale too large");
    }

    public static List<string> Run()
    {
        var lines = new List<string>();
        var canvas = new Canvas();
        var pen = new Pen();
        nint canvasContext = CanvasTable.CreateContext(canvas);
        nint penContext = PenTable.CreateContext(pen);
        try
        {
            CanvasClient client = CanvasClient.FromRaw(CanvasTable.Address, canvasContext)!.Value;
            PenClient penClient = PenClient.FromRaw(PenTable.Address, penContext)!.Value;

            client.SetTitle("Sketch");
            lines.Add("describe: " + client.Describe());
            Point a = Point.Create();
            a.X = 1.5;
            a.Y = 2;
            Point b = Point.Create();
            b.X = 3;
            b.Y = 4.5;
            Point[] points = [a, b];
            lines.Add("sum: " + client.Sum(points));
            int[] values = new int[4];
            client.Fill(values);
            lines.Add("fill: " + string.Join(", ", values));
            lines.Add("count_positive: " + client.CountPositive([5, -1, 0, 7]));
            Rect rect = Rect.Create();
            rect.TopLeft = Point.Create();
            rect.TopLeft.X = 10;
            rect.TopLeft.Y = 20;
            rect.Width = 5;
            rect.Id = 3;
            rect.Level = Level.High;
            Point center = client.Center(rect);
            lines.Add($"center: {center.X} {center.Y} size {center.StructSize}");
            lines.Add("is_empty: " + client.IsEmpty());
            client.SetVisible(true);
            lines.Add("is_empty after set_visible: " + client.IsEmpty());
            lines.Add("mood: " + client.GetMood());
            lines.Add("snapshot: " + string.Join(", ", client.Snapshot()));
            lines.Add("checksum: " + client.Checksum([200, 100, 1]));
            client.Draw(penClient, a);
            lines.Add("strokes: " + penClient.GetStrokes());
            client.SetScale(2.5f);
            lines.Add("scale: " + client.GetScale());
            // What a NativeAOT plugin's host gets through set_error (ServedCallErrors.SetError = Host.SetError) with the status.
            var reported = new List<string>();
            ServedCallErrors.SetError = (status, message) => reported.Add($"{status} {message}");
            lines.Add("error status: " + Status(() => client.SetTitle("")));
            lines.Add("error set_error: " + string.Join(" | ", reported));
            reported.Clear();
            lines.Add("exception status: " + Status(() => client.SetScale(1000)));
            lines.Add("exception set_error: " + string.Join(" | ", reported));
            reported.Clear();

            // Bad input through the raw ABI: typed statuses, never an exception across the boundary.
            var table = (ShapesCanvasV1*)CanvasTable.Address;
            byte* invalid = stackalloc byte[] { 0xff, 0xfe };
            lines.Add("invalid utf8: " + table->SetTitle(canvasContext, invalid, 2));
            lines.Add("null with length: " + table->SetTitle(canvasContext, null, 3));
            lines.Add("bad input set_error: " + string.Join(" | ", reported));
            ServedCallErrors.SetError = null;
            lines.Add("null context: " + table->SetTitle(0, invalid, 0));
            Point output = Point.Create();
            Rect wrong = rect;
            wrong.StructSize = 2;
            lines.Add("struct too small: " + table->Center(canvasContext, &wrong, &output));
            Point* odd = stackalloc Point[2];
            odd[0] = a;
            odd[1] = b;
            odd[1].StructSize = 16;
            double sum = 0;
            lines.Add("span element of another size: " + table->Sum(canvasContext, odd, 2, &sum));
            lines.Add("bool not 0 or 1: " + table->SetVisible(canvasContext, 7));
            lines.Add("null out pointer: " + table->GetMood(canvasContext, null));
            Rect older = rect;
            older.StructSize = 24;
            lines.Add("older rect: " + table->Center(canvasContext, &older, &output));
            lines.Add($"older rect center: {output.X} {output.Y}");
            ShapesCanvasV1 truncated = *table;
            truncated.StructSize = (uint)(8 + 2 * sizeof(nint));
            CanvasClient old = CanvasClient.FromRaw((nint)(&truncated), canvasContext)!.Value;
            lines.Add("old table describe: " + (old.Describe().Length > 0));
            try
            {
                old.Sum(points);
                lines.Add("old table sum: called");
            }
            catch (NativeCallException ex)
            {
                lines.Add($"old table sum: {ex.Status} {ex.Message}");
            }
            lines.Add($"hashes: {ShapesCanvasV1.MemberHashes.Length} 0x{ShapesCanvasV1.LayoutHash:x16}");
        }
        finally
        {
            CanvasTable.FreeContext(canvasContext);
            PenTable.FreeContext(penContext);
        }
        return lines;
    }

    private static int Status(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (NativeCallException ex)
        {
            return ex.Status;
        }
    }
}
