namespace CaseApi;

public class Money { public decimal Amount; public Money Negate() => new() { Amount = -Amount }; }
