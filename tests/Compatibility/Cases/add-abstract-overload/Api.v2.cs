namespace CaseApi;

public interface IFormatter { string Format(string value); string Format(string value, int width); }
