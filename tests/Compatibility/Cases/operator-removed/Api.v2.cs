namespace CaseApi;

public struct Money { public decimal Amount; public Money Plus(Money b) => new() { Amount = Amount + b.Amount }; }
