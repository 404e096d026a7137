using BidEngine.Server.Endpoints;
using BidEngine.Server.Hosting;
using Microsoft.Extensions.Options;

try
{
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    });

    builder.AddBidEngine();

    var app = builder.Build();
    app.MapBidEngine();
    app.Run();
    return 0;
}
catch (OptionsValidationException e)
{
    // A setting, or a file a setting names, that cannot work: say which and stop, rather than serve 204s.
    Console.Error.WriteLine("BidEngine refused to start:");
    foreach (var failure in e.Failures)
    {
        Console.Error.WriteLine("  " + failure);
    }

    return 1;
}

/// <summary>The entry point; public so that tests can host the real server in-process.</summary>
public partial class Program;
