using Microsoft.AspNetCore.Mvc;

namespace WebPlugin;

/// <summary>An MVC controller of the plugin: served under the plugin's prefix when the host runs MVC; created with the plugin's own request-scoped service.</summary>
[ApiController]
[Route("api/greetings")]
public sealed class GreetingsController(RequestCounter counter) : ControllerBase
{
#if V2
    private const string Version = "2";
#else
    private const string Version = "1";
#endif

    [HttpGet("{name}")]
    public ActionResult<Greeting> Get(string name) => new Greeting($"controller says hello {name}", Version);

    [HttpGet("boom")]
    public string Boom() => throw new InvalidOperationException("the plugin's controller failed on purpose");

    [HttpGet("counter")]
    public string Counter() => $"{counter.Use()} use, disposed so far: {RequestCounter.Disposed}";
}
