namespace CaseApi;

public class Settings { public int Priority { get; set; } }
