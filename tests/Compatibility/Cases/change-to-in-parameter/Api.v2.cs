namespace CaseApi;

public struct Point { public int X; }
public static class Geometry { public static int Measure(in Point p) => p.X; }
