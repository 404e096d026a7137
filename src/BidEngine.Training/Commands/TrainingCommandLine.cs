using System.CommandLine;

namespace BidEngine.Training.Commands;

/// <summary>
/// The training tool's verbs and their options (System.CommandLine): help is written from these
/// definitions, defaults included. Exit codes: 0 done, 1 a file could not be read or written, 2 a bad
/// command line (the message names the option, then the verb's help follows).
/// </summary>
internal static class TrainingCommandLine
{
    public const int UsageExitCode = 2;

    public const int FileExitCode = 1;

    private static readonly ParserConfiguration Parser = new()
    {
        // Values are taken as typed: "@file" is a file name, not a response file to expand.
        ResponseFileTokenReplacer = null,
    };

    /// <param name="o">Where the verbs write their progress and results.</param>
    /// <param name="commandLine">The command line as the model card and metadata record it.</param>
    public static RootCommand Create(TextWriter o, string commandLine) => new("BidEngine.Training: simulate traffic, train the CTR model, export and check it. Paths are relative to the working directory (run from the repository root).")
    {
        SimulateCommand.Create(o),
        TrainCommand.Create(o, commandLine),
        ClosedLoopCommand.Create(o, commandLine),
        ExportCommand.CreateExport(o),
        ExportCommand.CreateQuantize(o),
        EvaluateCommand.Create(o),
        CardCommand.Create(o),
        AllCommand.Create(o, commandLine),
        SweepCommand.Create(o),
        CampaignsCommand.Create(o),
        SimulateDayCommand.Create(o),
        LogStatsCommand.Create(o),
        AuditCommand.Create(o),
    };

    public static ParseResult Parse(RootCommand root, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(root);

        // "help" alone stays a way to ask for help, as before the move to System.CommandLine.
        return root.Parse(args is ["help"] ? ["--help"] : args, Parser);
    }

    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, string commandLine)
    {
        var root = Create(output, commandLine);
        var result = Parse(root, args);
        if (result.Errors.Count > 0)
        {
            foreach (var e in result.Errors)
            {
                await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync().ConfigureAwait(false);
            var command = result.CommandResult.Command;
            string[] help = command == root ? ["--help"] : [command.Name, "--help"];
            Parse(root, help).Invoke(new InvocationConfiguration { Output = error });
            return UsageExitCode;
        }

        try
        {
            return await result.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                // No work here watches for cancellation: Ctrl+C ends the process at once, as it always did.
                ProcessTerminationTimeout = null,
                // Failures are reported below with their own exit codes; anything else is a bug and should show its stack.
                EnableDefaultExceptionHandler = false,
            }).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return UsageExitCode;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return FileExitCode;
        }
    }
}
