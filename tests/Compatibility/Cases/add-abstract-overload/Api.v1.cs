namespace CaseApi;

public interface IFormatter { string Format(string value); }
