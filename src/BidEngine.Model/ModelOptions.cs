namespace BidEngine.Model;

/// <summary>Settings of the ONNX scorer, bound from the "Model" configuration section.</summary>
public sealed class ModelOptions
{
    public const string SectionName = "Model";

    /// <summary>Largest bucket the scorer can be configured with (rows per run).</summary>
    public const int MaxMaxBatchRows = 1024;

    /// <summary>The .onnx file written by OnnxModelWriter (fp32 or int8). The server takes a relative path from its models folder.</summary>
    public string ModelPath { get; set; } = "ctr.onnx";

    /// <summary>Off by default: on 2 cores group commit did not beat one run per request (see the README numbers).</summary>
    public BatchingMode Batching { get; set; } = BatchingMode.None;

    /// <summary>ORT intra-op threads. 1: the graph is a few gathers and sums; a second thread costs more to wake than it saves.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Let ORT's pool threads spin while idle. Off: spinning burns a core Kestrel needs (matters only with IntraOpThreads &gt; 1).</summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Rows of the largest bucket, a power of two; buckets are 1, 2, 4, ... up to it.</summary>
    public int MaxBatchRows { get; set; } = 128;

    /// <summary>Slots (pinned buffers + binding) created per bucket at start, so the first requests do not allocate.</summary>
    public int PreallocatedSlotsPerBucket { get; set; } = 2;

    /// <summary>Most idle slots kept per bucket; more concurrent renters get transient slots, disposed on return.</summary>
    public int MaxPooledSlotsPerBucket { get; set; } = 64;

    /// <summary>Runs per bucket in <see cref="OnnxCtrScorer.Warmup"/>, after one discarded cold run.</summary>
    public int WarmupRunsPerBucket { get; set; } = 8;

    /// <summary>Errors naming the setting, empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            errors.Add($"{SectionName}:{nameof(ModelPath)} is required.");
        }
        else if (!File.Exists(ModelPath))
        {
            errors.Add($"{SectionName}:{nameof(ModelPath)} '{ModelPath}' does not exist (full path '{Path.GetFullPath(ModelPath)}').");
        }

        if (!Enum.IsDefined(Batching))
        {
            errors.Add($"{SectionName}:{nameof(Batching)} must be None or GroupCommit.");
        }

        if (IntraOpThreads is < 1 or > 64)
        {
            errors.Add($"{SectionName}:{nameof(IntraOpThreads)} must be 1..64, was {IntraOpThreads}.");
        }

        if (MaxBatchRows is < 1 or > MaxMaxBatchRows || !int.IsPow2(MaxBatchRows))
        {
            errors.Add($"{SectionName}:{nameof(MaxBatchRows)} must be a power of two in 1..{MaxMaxBatchRows}, was {MaxBatchRows}.");
        }

        if (PreallocatedSlotsPerBucket is < 0 or > 256)
        {
            errors.Add($"{SectionName}:{nameof(PreallocatedSlotsPerBucket)} must be 0..256, was {PreallocatedSlotsPerBucket}.");
        }

        if (MaxPooledSlotsPerBucket < PreallocatedSlotsPerBucket || MaxPooledSlotsPerBucket > 4096)
        {
            errors.Add($"{SectionName}:{nameof(MaxPooledSlotsPerBucket)} must be {nameof(PreallocatedSlotsPerBucket)}..4096, was {MaxPooledSlotsPerBucket}.");
        }

        if (WarmupRunsPerBucket is < 1 or > 10_000)
        {
            errors.Add($"{SectionName}:{nameof(WarmupRunsPerBucket)} must be 1..10000, was {WarmupRunsPerBucket}.");
        }

        return errors;
    }
}
