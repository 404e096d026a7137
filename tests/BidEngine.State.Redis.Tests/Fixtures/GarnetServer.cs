using System.Diagnostics;

namespace BidEngine.State.Redis.Tests.Fixtures;

/// <summary>
/// Garnet 2.2.12 as a dotnet tool, out of process (it ships its own HdrHistogram.dll, which must not
/// load into the test process). Scripts need <c>--lua</c>, and <c>--lua-transaction-mode</c> to run atomically.
/// </summary>
public sealed class GarnetServer : StoreProcess
{
    private const string Version = "2.2.12";
    private static readonly string ToolPath = Path.Combine(Path.GetTempPath(), "bidengine-garnet-" + Version);

    private static string Executable => Path.Combine(ToolPath, "garnet-server");

    protected override async Task InstallAsync()
    {
        if (File.Exists(Executable))
        {
            return;
        }

        if (!await RunAsync("dotnet", $"tool install garnet-server --version {Version} --tool-path \"{ToolPath}\"") && !File.Exists(Executable))
        {
            throw new InvalidOperationException("garnet-server could not be installed as a dotnet tool.");
        }
    }

    protected override ProcessStartInfo StartInfo() =>
        new(Executable, $"--port {Port} --bind 127.0.0.1 --lua --lua-transaction-mode --memory 64m --index 1m")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
}
