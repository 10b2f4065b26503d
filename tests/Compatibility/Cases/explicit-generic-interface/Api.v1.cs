namespace CaseApi;

public class Money { public decimal Amount; }
public interface IHandler<T> { void Handle(T item); }
