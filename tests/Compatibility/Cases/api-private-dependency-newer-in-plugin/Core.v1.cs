namespace CaseApi.Core.Internal;

public static class Engine { public static int Id(int x) => x; }
