using BidEngine.Server.Hosting;

namespace BidEngine.Server.Endpoints;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: campaigns loaded, the request path warm and
/// no drain begun. Both answer on every listener, where load balancers and people check them.
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => Results.Text("ok"));
        routes.MapGet("/readyz", (ReadinessState readiness) =>
            Results.Text(readiness.Word, statusCode: readiness.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable));
    }
}
