namespace CaseApi;

public class Point { public int X; }
public static class Geometry { public static int Measure(Point p) => p.X; }
