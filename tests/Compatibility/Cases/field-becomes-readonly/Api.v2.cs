namespace CaseApi;

public class Settings { public readonly int Retries; }
