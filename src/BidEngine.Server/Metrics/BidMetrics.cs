using System.Diagnostics;
using BidEngine.Core.Operations;
using BidEngine.Core.Pipeline;
using HdrHistogram;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// What the bid endpoint answered and how fast, exported at <c>/metrics</c> in Prometheus text.
/// Every labelled child is resolved once here, so counting on the request path allocates nothing.
/// </summary>
internal sealed class BidMetrics
{
    private static readonly double TicksToSeconds = 1.0 / Stopwatch.Frequency;

    private readonly Counter.Child[] _paths;
    private readonly Counter.Child _noCandidates;
    private readonly Counter.Child _bids;
    private readonly Counter.Child _noBids;
    private readonly Counter.Child _refused;
    private readonly Counter.Child _failed;
    private readonly Counter.Child _shed;
    private readonly Counter _late;
    private readonly Histogram _duration;
    private readonly Recorder _latency;
    private readonly Gauge _quantiles;
    private readonly object _scrapeLock = new();
    private HistogramBase? _interval;

    // Two readers take the recorder's intervals: the scrape (quantiles since the previous scrape) and
    // the status sampler (each second's). Each interval is added to both, and each reader empties its
    // own: 120 KiB a histogram, one Add of 15,360 counts a second, off the request path.
    private readonly HistogramBase _sinceScrape = NewLatencyHistogram();
    private readonly HistogramBase _sinceSample = NewLatencyHistogram();

    // Off until warm-up is over, so that the warm-up's own requests do not show as traffic.
    private volatile bool _recording;

    public BidMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var paths = factory.CreateCounter(
            "bidengine_scoring_path_total",
            "Answers by how they were decided: model, heuristic (no time for the model) or none (no time at all, or shed).",
            "path");
        _paths = new Counter.Child[Enum.GetValues<ScoringPath>().Length];
        _paths[(int)ScoringPath.Model] = paths.WithLabels("model");
        _paths[(int)ScoringPath.Heuristic] = paths.WithLabels("heuristic");
        _paths[(int)ScoringPath.None] = paths.WithLabels("none");
        _noCandidates = factory.CreateCounter("bidengine_no_candidates_total", "Requests no campaign could bid on (not counted by path).").WithLabels();
        _paths[(int)ScoringPath.NoCandidates] = _noCandidates;

        var answers = factory.CreateCounter("bidengine_answers_total", "Answers by outcome.", "outcome");
        _bids = answers.WithLabels("bid");
        _noBids = answers.WithLabels("nobid");
        _refused = answers.WithLabels("refused");
        _failed = answers.WithLabels("failed");
        _shed = answers.WithLabels("shed");
        _late = factory.CreateCounter("bidengine_late_answers_total", "Answers finished after their own deadline (tmax less the network reserve).");
        _duration = factory.CreateHistogram(
            "bidengine_request_duration_seconds",
            "Time from arrival to the answer being handed to Kestrel.",
            new HistogramConfiguration { Buckets = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25] });

        // HdrHistogram for exact percentiles between scrapes: 1 µs to 10 s at 3 significant digits.
        _latency = HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(10_000_000).WithPrecisionOf(3).WithThreadSafeWrites().WithThreadSafeReads().Create();
        _quantiles = factory.CreateGauge(
            "bidengine_request_latency_seconds",
            "Request latency quantiles since the previous scrape (HdrHistogram).",
            "quantile");
        registry.AddBeforeCollectCallback(UpdateQuantiles);
    }

    /// <summary>Counting starts when the server turns ready; what came before was its own warm-up.</summary>
    public void StartRecording() => _recording = true;

    public void Answered(ScoringPath path, bool bid)
    {
        if (!_recording)
        {
            return;
        }

        _paths[(int)path].Inc();
        (bid ? _bids : _noBids).Inc();
    }

    public void Refused()
    {
        if (_recording)
        {
            _refused.Inc();
        }
    }

    public void Failed() => _failed.Inc();

    /// <summary>Admission control refused the work before parsing: counted as path "none" too.</summary>
    public void Shed()
    {
        if (!_recording)
        {
            return;
        }

        _shed.Inc();
        _paths[(int)ScoringPath.None].Inc();
    }

    /// <summary>Records how long a request took, and whether it ended past its deadline.</summary>
    public void Finished(long arrivalTimestamp, long deadlineTimestamp)
    {
        if (!_recording)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        var elapsed = now - arrivalTimestamp;
        _duration.Observe(elapsed * TicksToSeconds);
        _latency.RecordValue(Math.Max(1, elapsed * 1_000_000 / Stopwatch.Frequency));
        if (deadlineTimestamp != 0 && now > deadlineTimestamp)
        {
            _late.Inc();
        }
    }

    public double PathCount(ScoringPath path) => _paths[(int)path].Value;

    /// <summary>Answers that carried a bid since recording started.</summary>
    public double BidCount => _bids.Value;

    /// <summary>Requests shed by admission control since recording started.</summary>
    public double ShedCount => _shed.Value;

    public double LateCount => _late.Value;

    /// <summary>Bid requests finished (answered, refused or shed) since recording started: the per-request metrics divide by it.</summary>
    public long FinishedCount => _duration.Count;

    /// <summary>The answer times since the previous call, for the status page's once-a-second sample.</summary>
    public LatencyQuantiles TakeLatencySinceLastSample()
    {
        lock (_scrapeLock)
        {
            Drain();
            var h = _sinceSample;
            var quantiles = h.TotalCount == 0
                ? LatencyQuantiles.None
                : new LatencyQuantiles(h.TotalCount, h.GetValueAtPercentile(50) / 1000.0, h.GetValueAtPercentile(99) / 1000.0, h.GetValueAtPercentile(99.9) / 1000.0);
            h.Reset();
            return quantiles;
        }
    }

    private void UpdateQuantiles()
    {
        lock (_scrapeLock)
        {
            Drain();
            if (_sinceScrape.TotalCount == 0)
            {
                return;
            }

            foreach (var q in (ReadOnlySpan<double>)[0.5, 0.9, 0.99, 0.999])
            {
                _quantiles.WithLabels(q.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)).Set(_sinceScrape.GetValueAtPercentile(q * 100) / 1_000_000.0);
            }

            _quantiles.WithLabels("1").Set(_sinceScrape.GetMaxValue() / 1_000_000.0);
            _sinceScrape.Reset();
        }
    }

    /// <summary>Moves what the recorder holds into both readers' histograms; under the scrape lock.</summary>
    private void Drain()
    {
        _interval = _latency.GetIntervalHistogram(_interval);
        _sinceScrape.Add(_interval);
        _sinceSample.Add(_interval);
    }

    private static LongHistogram NewLatencyHistogram() => new(1, 10_000_000, 3);
}
