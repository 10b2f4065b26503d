namespace CaseApi;

public class Box<T, TMeta> { public T? Value { get; set; } }
