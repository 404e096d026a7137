using BidEngine.Server.Endpoints;
using BidEngine.Server.Hosting;

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddBidEngine();

var app = builder.Build();
app.MapBidEngine();
app.Run();

/// <summary>The entry point; public so that tests can host the real server in-process.</summary>
public partial class Program;
