namespace CaseApi;

public class Money { public decimal Amount; public Money Add(Money other) => new() { Amount = Amount + other.Amount }; }
