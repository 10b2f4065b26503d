namespace CaseApi;

public class Money { internal decimal Amount; }
