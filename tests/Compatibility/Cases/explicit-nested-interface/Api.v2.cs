namespace CaseApi;

public static class Hooks { public interface IOnSale { void OnSale(decimal amount); } public interface IOnRefund { void OnRefund(); } }
