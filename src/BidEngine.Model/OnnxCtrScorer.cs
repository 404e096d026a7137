using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Scoring;
using BidEngine.Model.Onnx;
using BidEngine.Model.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace BidEngine.Model;

/// <summary>
/// The ONNX CTR scorer: one <see cref="InferenceSession"/>, and per batch bucket (1, 2, 4, ...
/// <see cref="ModelOptions.MaxBatchRows"/> rows) pooled slots of pinned input/output memory bound
/// once to an <see cref="OrtIoBinding"/>. The pipeline hashes features straight into the rented
/// slot; scoring is one RunWithBinding: 0 B allocated per call after warm-up.
/// Thread-safe: any number of callers may rent and score concurrently.
/// </summary>
public sealed partial class OnnxCtrScorer : ICtrScorer
{
    private readonly InferenceSession _session;
    private readonly BatchBucket[] _buckets;
    private readonly RunWatchdog _watchdog;
    private readonly ScoreBatcher? _batcher;
    private long _runs;
    private long _rowsScored;
    private long _notStarted;
    private long _cutOff;
    private int _disposed;

    /// <summary>Loads the model and preallocates the buckets. Throws naming the setting when <paramref name="options"/> is invalid.</summary>
    public OnnxCtrScorer(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid model options: " + string.Join(" ", errors), nameof(options));
        }

        Options = options;
        using (var sessionOptions = CreateSessionOptions(options))
        {
            _session = new InferenceSession(options.ModelPath, sessionOptions);
        }

        try
        {
            Card = OnnxModelCard.FromSession(_session);
            CheckSignature(_session, Card);
            FeatureCount = Card.FeatureCount;
            HashBits = Card.HashBits;
            MaxRows = options.MaxBatchRows;
            Name = "onnx:" + Path.GetFileName(options.ModelPath);
            _watchdog = new RunWatchdog();
            _buckets = new BatchBucket[BitOperations.Log2((uint)MaxRows) + 1];
            for (var i = 0; i < _buckets.Length; i++)
            {
                _buckets[i] = new BatchBucket(_session, _watchdog, 1 << i, FeatureCount, options.PreallocatedSlotsPerBucket, options.MaxPooledSlotsPerBucket);
            }

            _batcher = options.Batching == BatchingMode.GroupCommit ? new ScoreBatcher(this) : null;
        }
        catch
        {
            _watchdog?.Dispose();
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Convenience for tools and tests: default options with this model file.</summary>
    public OnnxCtrScorer(string modelPath)
        : this(new ModelOptions { ModelPath = modelPath })
    {
    }

    public string Name { get; }

    public int FeatureCount { get; }

    public int HashBits { get; }

    public int MaxRows { get; }

    public ModelOptions Options { get; }

    /// <summary>The model file's metadata (shape, precision, training summary, metrics).</summary>
    public OnnxModelCard Card { get; }

    /// <summary>The group-commit batcher, null unless <see cref="ModelOptions.Batching"/> asks for it (tests watch it).</summary>
    internal ScoreBatcher? Batcher => _batcher;

    /// <summary>The thread that cuts off late runs (tests watch whether it parks).</summary>
    internal RunWatchdog Watchdog => _watchdog;

    /// <summary>True once <see cref="Warmup"/> has run: every bucket has a measured cost.</summary>
    public bool IsWarm { get; private set; }

    /// <summary>Counters since start, exported at <c>/metrics</c> as <c>bidengine_model_*</c>.</summary>
    public ScorerCounters Counters => new(
        Interlocked.Read(ref _runs),
        Interlocked.Read(ref _rowsScored),
        Interlocked.Read(ref _notStarted),
        Interlocked.Read(ref _cutOff),
        _batcher?.BatchedRuns ?? 0,
        _batcher?.BatchedRequests ?? 0);

    public ScoringRows Rent(int rows)
    {
        if ((uint)(rows - 1) >= (uint)MaxRows)
        {
            ThrowRows(rows, MaxRows);
        }

        var slot = BucketFor(rows).Rent();
        slot.SetCount(rows);
        return slot;
    }

    public void Return(ScoringRows rows)
    {
        var slot = Own(rows);
        if (!slot.Rented)
        {
            ThrowNotRented();
        }

        slot.Bucket.Return(slot);
    }

    /// <summary>
    /// Scores the rented rows within <paramref name="limit"/>, the policy's numbers: false without
    /// running when the bucket's observed cost × the safety factor does not fit before the limit's
    /// end (the same test the policy made when it chose the model), and false when the watchdog
    /// cut the run off at that end. The token is checked before starting; a started run is bounded
    /// by the limit instead.
    /// </summary>
    public ValueTask<bool> ScoreAsync(ScoringRows rows, ModelTimeLimit limit, CancellationToken cancellationToken = default)
    {
        var slot = Own(rows);
        cancellationToken.ThrowIfCancellationRequested();
        if (slot.Count == 0)
        {
            return new(true);
        }

        if (!limit.Fits(Stopwatch.GetTimestamp(), EstimatedCostTicks(slot.Count)))
        {
            CountNotStarted();
            return new(false);
        }

        return _batcher is null
            ? new(Run(slot, limit.EndTimestamp))
            : _batcher.ScoreAsync(slot, limit);
    }

    /// <summary>
    /// Observed cost, in <see cref="Stopwatch"/> ticks, of one run of the bucket that holds
    /// <paramref name="rows"/> rows: an exponentially weighted mean (α = 1/8) of recent runs,
    /// seeded by <see cref="Warmup"/> (1 ms before any run). Rows above <see cref="MaxRows"/> count as several runs.
    /// </summary>
    public long EstimatedCostTicks(int rows)
    {
        if (rows <= 0)
        {
            return 0;
        }

        if (rows <= MaxRows)
        {
            return BucketFor(rows).CostTicks;
        }

        var full = _buckets[^1].CostTicks * (rows / MaxRows);
        return rows % MaxRows == 0 ? full : full + BucketFor(rows % MaxRows).CostTicks;
    }

    /// <summary>Rows per bucket and their current cost estimates, exported at <c>/metrics</c> as <c>bidengine_model_cost_seconds</c>.</summary>
    public IReadOnlyList<(int Rows, long CostTicks)> BucketCosts()
        => Array.ConvertAll(_buckets, b => (b.Rows, b.CostTicks));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _watchdog.Dispose();
        foreach (var bucket in _buckets)
        {
            bucket.Dispose();
        }

        _session.Dispose();
    }

    /// <summary>
    /// One model run over a slot (padding zeroed, ids checked), cut off by the watchdog at
    /// <paramref name="endTimestamp"/> (a <see cref="ModelTimeLimit.EndTimestamp"/>; long.MaxValue: never).
    /// </summary>
    internal bool Run(ScoringSlot slot, long endTimestamp)
    {
        slot.PrepareInput(HashBits);
        var watched = endTimestamp != long.MaxValue;
        slot.BeginRun(watched ? endTimestamp : 0);
        if (watched)
        {
            _watchdog.Enter();
        }

        var start = Stopwatch.GetTimestamp();
        bool cutOff;
        try
        {
            _session.RunWithBinding(slot.RunOptions, slot.Binding);
        }
        catch (OnnxRuntimeException) when (slot.IsTerminated)
        {
            // Terminated by the watchdog; reported below.
        }
        finally
        {
            cutOff = slot.EndRun();
            if (watched)
            {
                _watchdog.Exit();
            }
        }

        if (cutOff)
        {
            Interlocked.Increment(ref _cutOff);
            return false;
        }

        slot.Bucket.Observe(Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _runs);
        Interlocked.Add(ref _rowsScored, slot.Count);
        return true;
    }

    /// <summary>A call refused before running because its estimate did not fit its limit.</summary>
    internal void CountNotStarted() => Interlocked.Increment(ref _notStarted);

    /// <summary>Replaces the cost estimate of the bucket holding <paramref name="rows"/> (tests; a cost carried over from a previous process).</summary>
    internal void SeedCost(int rows, long ticks) => BucketFor(rows).SeedCost(ticks);

    internal ScoringSlot RentSlot(int rows)
    {
        var slot = BucketFor(rows).Rent();
        slot.SetCount(rows);
        return slot;
    }

    internal static void ReturnSlot(ScoringSlot slot) => slot.Bucket.Return(slot);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private BatchBucket BucketFor(int rows) => _buckets[BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)rows))];

    private ScoringSlot Own(ScoringRows rows)
    {
        if (rows is not ScoringSlot slot || !ReferenceEquals(slot.Bucket, BucketFor(slot.Capacity)))
        {
            ThrowForeign();
            return null!;
        }

        return slot;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    [StackTraceHidden]
    private static void ThrowRows(int rows, int max) => throw new ArgumentOutOfRangeException(nameof(rows), rows, $"Rows must be in 1..{max}.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    [StackTraceHidden]
    private static void ThrowForeign() => throw new ArgumentException("These rows were not rented from this scorer.", "rows");

    [MethodImpl(MethodImplOptions.NoInlining)]
    [StackTraceHidden]
    private static void ThrowNotRented() => throw new InvalidOperationException("These rows were already returned.");
}
