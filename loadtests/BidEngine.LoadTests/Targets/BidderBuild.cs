using System.Diagnostics;

namespace BidEngine.LoadTests.Targets;

/// <summary>Builds src/BidEngine.Server in Release: when its dll is missing (the tool), or always (the tests, once per run).</summary>
public static class BidderBuild
{
    public static async Task<string> EnsureBuiltAsync(string root, TextWriter log, CancellationToken cancellationToken)
    {
        var dll = RepoPaths.ServerDll(root);
        if (File.Exists(dll))
        {
            return dll;
        }

        log.WriteLine($"building src/BidEngine.Server (Release): {dll} is missing");
        return await BuildAsync(root, cancellationToken);
    }

    /// <summary>
    /// <c>dotnet build src/BidEngine.Server -c Release</c> from the repository root (a no-op when it is up to date);
    /// returns the dll or throws with the build's last lines.
    /// </summary>
    public static async Task<string> BuildAsync(string root, CancellationToken cancellationToken)
    {
        var dll = RepoPaths.ServerDll(root);
        var project = Path.Combine(root, "src", "BidEngine.Server");
        if (!Directory.EnumerateFiles(project, "*.csproj").Any())
        {
            throw new FileNotFoundException($"No bidder to build: {project} has no project file.");
        }

        // No build servers: an MSBuild node or compiler server left running would hold this process's
        // output pipes open (a test host's included) long after the build.
        var psi = new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "--nologo", "-v", "quiet", "--disable-build-servers"])
        {
            UseShellExecute = false,
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start dotnet build.");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromMinutes(10));
        var output = process.StandardOutput.ReadToEndAsync(cts.Token);
        var error = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = (await output) + (await error);
        if (process.ExitCode != 0 || !File.Exists(dll))
        {
            var tail = string.Join(Environment.NewLine, text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(20));
            throw new InvalidOperationException($"dotnet build {project} -c Release failed (exit {process.ExitCode}):{Environment.NewLine}{tail}");
        }

        return dll;
    }
}
