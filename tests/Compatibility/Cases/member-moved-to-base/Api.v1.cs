namespace CaseApi;

public class Shape { }
public class Circle : Shape { public double Area() => 3.14; }
