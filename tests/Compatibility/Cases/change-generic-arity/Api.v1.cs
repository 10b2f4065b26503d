namespace CaseApi;

public class Box<T> { public T? Value { get; set; } }
