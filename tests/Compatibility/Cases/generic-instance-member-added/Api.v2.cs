namespace CaseApi;

public class Money { }
public class Repository<T> { public int Count(T item) => 1; public void Clear() { } }
