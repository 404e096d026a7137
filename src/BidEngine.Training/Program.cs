using BidEngine.Training.Commands;

namespace BidEngine.Training;

/// <summary>
/// <c>dotnet run -c Release --project src/BidEngine.Training -- &lt;verb&gt; [--option value ...]</c>.
/// Paths are relative to the working directory (run from the repository root).
/// </summary>
internal static class Program
{
    private static readonly string[] Usages =
    [
        SimulateCommand.Usage,
        TrainCommand.Usage,
        ExportCommand.ExportUsage,
        ExportCommand.QuantizeUsage,
        EvaluateCommand.Usage,
        CardCommand.Usage,
        AllCommand.Usage,
        SweepCommand.Usage,
    ];

    public static async Task<int> Main(string[] args)
    {
        var o = Console.Out;
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(o);
            return args.Length == 0 ? 2 : 0;
        }

        var commandLine = "dotnet run -c Release --project src/BidEngine.Training -- " + string.Join(' ', args);
        try
        {
            var options = new CommandArgs(args[1..]);
            return args[0] switch
            {
                "simulate" => SimulateCommand.Run(options, o),
                "train" => await TrainCommand.RunAsync(options, o, commandLine),
                "export" => ExportCommand.RunExport(options, o),
                "quantize" => ExportCommand.RunQuantize(options, o),
                "evaluate" => await EvaluateCommand.RunAsync(options, o),
                "card" => CardCommand.Run(options, o),
                "all" => await AllCommand.RunAsync(options, o, commandLine),
                "sweep" => await SweepCommand.RunAsync(options, o),
                _ => throw new UsageException($"unknown verb '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            PrintUsage(Console.Error);
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    private static void PrintUsage(TextWriter o)
    {
        o.WriteLine("BidEngine.Training: simulate traffic, train the CTR model, export and check it.");
        foreach (var usage in Usages)
        {
            o.WriteLine("  " + usage);
        }
    }
}
