namespace CaseApi;

public interface IParsable<TSelf> where TSelf : IParsable<TSelf> { static abstract TSelf Parse(string s); }
public static class Parser { public static T Parse<T>(string s) where T : IParsable<T> => T.Parse(s); public static int Count => 0; }
