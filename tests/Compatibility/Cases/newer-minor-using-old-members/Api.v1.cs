[assembly: System.Reflection.AssemblyVersion("1.2.0.0")]

namespace CaseApi;

public static class Api { public static int Scale(int x) => x; public static int Twice(int x) => 2 * x; }
