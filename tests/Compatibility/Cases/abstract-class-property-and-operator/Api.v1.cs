namespace CaseApi;

public abstract class Rule { public abstract int Priority { get; } public static bool operator >(Rule a, Rule b) => a.Priority > b.Priority; public static bool operator <(Rule a, Rule b) => a.Priority < b.Priority; }
