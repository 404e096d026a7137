using System.Diagnostics;

namespace BidEngine.LoadTests.Targets;

/// <summary>Builds src/BidEngine.Server in Release when its dll is missing.</summary>
public static class BidderBuild
{
    public static async Task<string> EnsureBuiltAsync(string root, TextWriter log, CancellationToken cancellationToken)
    {
        var dll = RepoPaths.ServerDll(root);
        if (File.Exists(dll))
        {
            return dll;
        }

        var project = Path.Combine(root, "src", "BidEngine.Server");
        if (!Directory.EnumerateFiles(project, "*.csproj").Any())
        {
            throw new FileNotFoundException($"No bidder to start: {dll} is missing and {project} has no project file yet.");
        }

        log.WriteLine($"building {project} (Release): {dll} is missing");
        var psi = new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "quiet"])
        {
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start dotnet build.");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0 || !File.Exists(dll))
        {
            throw new InvalidOperationException($"dotnet build {project} failed (exit {process.ExitCode}).");
        }

        return dll;
    }
}
