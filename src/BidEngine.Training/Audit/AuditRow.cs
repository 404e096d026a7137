namespace BidEngine.Training.Audit;

/// <summary>One model variant's line in the audit table. Null: not measured by the tool (the bidder's numbers come from a load run).</summary>
internal sealed record AuditRow
{
    public required string Variant { get; init; }

    public required string File { get; init; }

    /// <summary>"fm-table" or "split-tables".</summary>
    public required string Graph { get; init; }

    public required string Precision { get; init; }

    public required int HashBits { get; init; }

    public required int FactorDim { get; init; }

    /// <summary>Share of hash rows set to zero (0: not pruned).</summary>
    public double Sparsity { get; init; }

    public required double Auc { get; init; }

    public required double AucGapToCeiling { get; init; }

    public required double LogLoss { get; init; }

    public required double MaxDecileErrorVsTruth { get; init; }

    public required long FileBytes { get; init; }

    public required long GzipBytes { get; init; }

    /// <summary>Process CPU µs per scorer call of 1 row.</summary>
    public required double MicrosBatch1 { get; init; }

    /// <summary>Process CPU µs per row of a 32-row scorer call.</summary>
    public required double MicrosPerRowBatch32 { get; init; }

    public double? BidderCpuMicrosPerQuery { get; init; }

    public double? BidderRequestsPerSecond { get; init; }
}
