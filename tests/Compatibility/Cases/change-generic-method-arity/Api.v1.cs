namespace CaseApi;

public static class Factory { public static T Make<T>() where T : new() => new T(); }
