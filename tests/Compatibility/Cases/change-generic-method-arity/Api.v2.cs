namespace CaseApi;

public static class Factory { public static T Make<T, TArg>() where T : new() => new T(); }
