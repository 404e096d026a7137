using BenchmarkDotNet.Running;

// dotnet run -c Release --project loadtests/BidEngine.Benchmarks -- --filter '*Parse*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>The entry point of the micro-benchmarks.</summary>
public partial class Program;
