namespace CaseApi;

public class Shape { public double Area() => 3.14; }
public class Circle : Shape { }
