namespace CaseApi;

public class Money { public decimal Amount; public string Currency = "EUR"; }
