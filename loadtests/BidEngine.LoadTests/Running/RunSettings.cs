using BidEngine.LoadTests.Corpus;
using BidEngine.LoadTests.Http;
using BidEngine.LoadTests.Scheduling;

namespace BidEngine.LoadTests.Running;

/// <summary>Everything one run needs, decided before it starts.</summary>
public sealed record RunSettings
{
    public required string Label { get; init; }

    public required RequestPool Pool { get; init; }

    public required ISenderFactory Senders { get; init; }

    public required int Connections { get; init; }

    /// <summary>Open model: when each request goes out. Null for the closed model.</summary>
    public ArrivalSchedule? Schedule { get; init; }

    /// <summary>Closed model: how long the connections send back to back (after <see cref="Warmup"/>).</summary>
    public TimeSpan Duration { get; init; }

    public TimeSpan Warmup { get; init; }

    /// <summary>Closed model: cap on requests, so the loop is bounded in count too.</summary>
    public long MaxRequests { get; init; } = 10_000_000;

    /// <summary>The client gives up on an answer this long after the intended send time.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Deadline for requests without tmax, when counting late answers.</summary>
    public int DefaultTmaxMs { get; init; } = 100;

    /// <summary>The server process, when the tool started it, to report its CPU beside the generator's.</summary>
    public System.Diagnostics.Process? ServerProcess { get; init; }

    public double TargetRate { get; init; }
}
