// the plugin needs the ASP.NET Core shared framework (runtimeconfig), the host runs only Microsoft.NETCore.App
using CaseApi;

namespace CasePlugin;

public sealed class Entry : IPlugin
{
    public string Run()
    {
        Api.Scale(1); _ = new Microsoft.AspNetCore.Http.DefaultHttpContext().Request.Path;
        return "ok";
    }
}
