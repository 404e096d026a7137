using BidEngine.Server.Hosting;

namespace BidEngine.Server.Endpoints;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: campaigns loaded and the request path warm.</summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (ReadinessState readiness) =>
            readiness.IsReady ? Results.Text("ready") : Results.Text("warming up", statusCode: StatusCodes.Status503ServiceUnavailable));
    }
}
