namespace CaseApi;

public class Money { }
public interface IHandler<T> { void Handle(T item); }
