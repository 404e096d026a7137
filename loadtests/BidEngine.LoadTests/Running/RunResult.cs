using HdrHistogram;

namespace BidEngine.LoadTests.Running;

/// <summary>A run's figures and its latency histogram (for the .hgrm file and the plot).</summary>
public sealed record RunResult(RunSummary Summary, HistogramBase Latency);
