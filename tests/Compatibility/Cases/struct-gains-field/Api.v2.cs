namespace CaseApi;

public struct Point { public int X; public int Z; public int Y; }
public static class Geometry { public static int Sum(Point p) => p.X + p.Y; }
