namespace CaseApi;

public class Settings { public long Priority { get; set; } }
