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
        routes.MapGet("/readyz", (ReadinessState readiness) => readiness switch
        {
            { IsDraining: true } => Results.Text("draining", statusCode: StatusCodes.Status503ServiceUnavailable),
            { IsReady: true } => Results.Text("ready"),
            _ => Results.Text("warming up", statusCode: StatusCodes.Status503ServiceUnavailable),
        });
    }
}
