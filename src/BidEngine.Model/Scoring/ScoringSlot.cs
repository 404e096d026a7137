using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Scoring;
using BidEngine.Model.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace BidEngine.Model.Scoring;

/// <summary>
/// One bucket-sized set of model I/O: pinned input ids [Capacity, F] and output [Capacity, 1],
/// wrapped once in OrtValues and bound once to an <see cref="OrtIoBinding"/>, plus the
/// <see cref="RunOptions"/> the watchdog terminates. Lent to the pipeline as <see cref="ScoringRows"/>,
/// so features are hashed straight into the memory ORT reads: no copy, 0 B per call.
/// Also the waiting point of a group-commit follower (<see cref="IValueTaskSource{TResult}"/>).
/// </summary>
internal sealed class ScoringSlot : ScoringRows, IValueTaskSource<int>, IDisposable
{
    private readonly long[] _input;
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly Lock _runLock = new();
    private ManualResetValueTaskSourceCore<int> _wait = new() { RunContinuationsAsynchronously = true };

    // Guarded by _runLock: the watchdog may only terminate the run it saw start.
    private long _runEnd;
    private bool _terminated;

    public ScoringSlot(InferenceSession session, BatchBucket bucket, int featureCount)
    {
        Bucket = bucket;
        FeatureCount = featureCount;
        Capacity = bucket.Rows;
        _input = GC.AllocateArray<long>(Capacity * featureCount, pinned: true);
        _output = GC.AllocateArray<float>(Capacity, pinned: true);
        _inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(), [Capacity, featureCount]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _output.AsMemory(), [Capacity, 1]);
        Binding = session.CreateIoBinding();
        Binding.BindInput(CtrModelGraph.InputName, _inputValue);
        Binding.BindOutput(CtrModelGraph.OutputName, _outputValue);
        RunOptions = new RunOptions();
    }

    public BatchBucket Bucket { get; }

    public int FeatureCount { get; }

    /// <summary>Rows of the bucket; rows past <see cref="ScoringRows.Count"/> are padding.</summary>
    public int Capacity { get; }

    public OrtIoBinding Binding { get; }

    public RunOptions RunOptions { get; }

    /// <summary>True while lent out; guards against double return.</summary>
    public bool Rented { get; set; }

    /// <summary>True once the watchdog has terminated the current run.</summary>
    public bool IsTerminated => Volatile.Read(ref _terminated);

    /// <summary>Transient slots (pool was empty and full) are disposed on return instead of pooled.</summary>
    public bool Pooled { get; set; }

    // Group commit: the FIFO link, and the follower's own limit from the policy.
    public ScoringSlot? Next { get; set; }

    public ModelTimeLimit WaitLimit { get; private set; }

    public Span<long> Input => _input;

    public Span<float> Output => _output;

    public void SetCount(int rows) => Count = rows;

    public override Span<long> Features(int row)
    {
        if ((uint)row >= (uint)Count)
        {
            ThrowRow(row);
        }

        return _input.AsSpan(row * FeatureCount, FeatureCount);
    }

    public override float Probability(int row)
    {
        if ((uint)row >= (uint)Count)
        {
            ThrowRow(row);
        }

        return _output[row];
    }

    /// <summary>Zeroes the padding rows (id 0 is a valid id; their scores are ignored) and checks ids are in range.</summary>
    public void PrepareInput(int hashBits)
    {
        var used = Count * FeatureCount;
        _input.AsSpan(used).Clear();
        ulong all = 0;
        foreach (var id in _input.AsSpan(0, used))
        {
            all |= (ulong)id;
        }

        // One OR over the ids: any negative id or id ≥ 2^bits sets a bit above the mask.
        if ((all >> hashBits) != 0)
        {
            ThrowIdOutOfRange(hashBits);
        }
    }

    /// <summary>Marks the run as started for the watchdog (0: not watched); clears a terminate flag left by an earlier cut-off.</summary>
    public void BeginRun(long endTimestamp)
    {
        // No lock on the usual path: between runs _runEnd is 0, so the watchdog leaves the slot alone
        // and nobody else writes _terminated; only a flag left by a cut-off needs the lock to clear.
        if (!Volatile.Read(ref _terminated))
        {
            Volatile.Write(ref _runEnd, endTimestamp);
            return;
        }

        lock (_runLock)
        {
            if (_terminated)
            {
                RunOptions.Terminate = false;
                _terminated = false;
            }

            _runEnd = endTimestamp;
        }
    }

    /// <summary>Ends the run; true when the watchdog cut it off.</summary>
    public bool EndRun()
    {
        // An unwatched run (0) is never terminated: nothing to race with.
        if (Volatile.Read(ref _runEnd) == 0)
        {
            return Volatile.Read(ref _terminated);
        }

        lock (_runLock)
        {
            _runEnd = 0;
            return _terminated;
        }
    }

    /// <summary>Called by the watchdog: terminates the run in flight if its limit's end has passed; true if it did.</summary>
    public bool TerminateIfLate(long now)
    {
        if (Volatile.Read(ref _runEnd) == 0)
        {
            return false;
        }

        lock (_runLock)
        {
            if (_runEnd != 0 && now >= _runEnd && !_terminated)
            {
                // Flag first: the run's exception filter reads it once ORT sees the terminate flag.
                Volatile.Write(ref _terminated, true);
                RunOptions.Terminate = true;
                return true;
            }
        }

        return false;
    }

    // ---- group commit waiting ----

    public void PrepareWait(ModelTimeLimit limit)
    {
        _wait.Reset();
        WaitLimit = limit;
        Next = null;
    }

    public ValueTask<int> WaitAsync() => new(this, _wait.Version);

    public void Signal(int code) => _wait.SetResult(code);

    int IValueTaskSource<int>.GetResult(short token) => _wait.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _wait.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _wait.OnCompleted(continuation, state, token, flags);

    public void Dispose()
    {
        Binding.Dispose();
        RunOptions.Dispose();
        _inputValue.Dispose();
        _outputValue.Dispose();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowRow(int row) => throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {Count}).");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowIdOutOfRange(int hashBits) => throw new ArgumentOutOfRangeException("ids", $"A feature id is outside [0, 2^{hashBits}).");
}
