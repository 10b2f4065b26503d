namespace CaseApi;

public struct Money { public decimal Amount; public static Money operator +(Money a, Money b) => new() { Amount = a.Amount + b.Amount }; }
