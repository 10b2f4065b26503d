namespace CaseApi;

public class Settings { public int Retries { get; private set; } }
