namespace CaseApi;

public class Money { public decimal Value; }
