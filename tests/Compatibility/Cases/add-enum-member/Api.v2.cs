namespace CaseApi;

public enum Color { Red, Green, Blue }
public static class Paint { public static string Name(Color c) => c.ToString(); }
