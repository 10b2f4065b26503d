namespace CaseApi;

public enum Color { Red, Green }
public static class Paint { public static string Name(Color c) => c.ToString(); }
