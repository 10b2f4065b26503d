[assembly: System.Reflection.AssemblyVersion("1.1.0.0")]

namespace CaseApi;

public static class Api { public static int Scale(int x) => x; }
