using Microsoft.AspNetCore.Mvc;

namespace WebPlugin;

/// <summary>An MVC controller of the plugin: served under the plugin's prefix when the host runs MVC; created with the plugin's own request-scoped service.</summary>
[ApiController]
[Route("api/greetings")]
public sealed class GreetingsController(RequestCounter counter) : ControllerBase
{
    [HttpGet("{name}")]
    public ActionResult<Greeting> Get(string name) => new Greeting($"controller says hello {name}", Build.Version);

    // A request body of the plugin's own type: MVC describes it (model metadata, TypeDescriptor, parameter binding).
    [HttpPost]
    public ActionResult<Greeting> Post(Greeting greeting) => greeting with { Text = $"controller got {greeting.Text}", Version = Build.Version };

    [HttpGet("boom")]
    public string Boom() => throw new InvalidOperationException("the plugin's controller failed on purpose");

    [HttpGet("counter")]
    public string Counter() => $"{counter.Use()} use, disposed so far: {RequestCounter.Disposed}";
}
