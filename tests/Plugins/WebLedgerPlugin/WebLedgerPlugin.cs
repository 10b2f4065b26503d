using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using TestApi;

namespace WebLedgerPlugin;

/// <summary>Uses several assemblies of the ASP.NET Core shared framework (Http.Abstractions, Routing, WebUtilities, Http).</summary>
public sealed class WebLedgerPlugin : ILedgerPlugin
{
    public string Name => new PathString("/web").Add(new PathString("/ledger")).Value!;

    public LedgerEntry Create(decimal amount, string memo) => new(amount, QueryHelpers.AddQueryString("memo", "text", memo)) { CreatedBy = Name };

    public void Apply(Ledger ledger) => ledger.Add(Create(1m, new DefaultHttpContext().Request.Method));

    public string Describe() => typeof(LinkGenerator).Assembly.GetName().Name!;
}
