using BidEngine.Training.Commands;

namespace BidEngine.Training;

/// <summary>
/// <c>dotnet run -c Release --project src/BidEngine.Training -- &lt;verb&gt; [--option value ...]</c>; <c>--help</c> lists
/// the verbs, <c>&lt;verb&gt; --help</c> their options. Paths are relative to the working directory (run from the repository root).
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var commandLine = "dotnet run -c Release --project src/BidEngine.Training -- " + string.Join(' ', args);
        return TrainingCommandLine.InvokeAsync(args, Console.Out, Console.Error, commandLine);
    }
}
