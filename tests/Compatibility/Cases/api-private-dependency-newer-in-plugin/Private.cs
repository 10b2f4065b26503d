[assembly: System.Reflection.AssemblyVersion("2.0.0.0")]
namespace CaseApi.Core.Internal;

public static class Engine { public static int Id(int x) => x; public static int Id2(int x) => x; }
