namespace BidEngine.LoadTests.Thresholds;

/// <summary>One limit checked against one run: "steady p99 3.1 ms <= 10 ms: ok".</summary>
public sealed record ThresholdCheck(string Run, string Name, string Comparison, double Limit, double Actual, bool Passed)
{
    public override string ToString() =>
        $"{(Passed ? "ok  " : "FAIL")} {Run}: {Name} {Actual:0.###} (limit {Comparison} {Limit:0.###})";
}
