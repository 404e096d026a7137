using BidEngine.Core.Features;

namespace BidEngine.Training.Data;

/// <summary>
/// Won impressions of an event log, in time order, with their hashed feature ids (by
/// <see cref="FeatureSpec.Hash"/>, from the logged inputs), click labels, the true probability
/// when the log is simulated, and what the prior table needs (campaign and placement bucket).
/// </summary>
internal sealed class Dataset
{
    public required int HashBits { get; init; }

    public required int Count { get; init; }

    /// <summary><see cref="Count"/> × <see cref="FeatureSpec.FeatureCount"/> ids, row-major.</summary>
    public required int[] Ids { get; init; }

    public required byte[] Labels { get; init; }

    /// <summary>True click probabilities (simulated data only), else null.</summary>
    public required float[]? Truth { get; init; }

    public required long[] TimestampsMs { get; init; }

    /// <summary>Index into <see cref="Cells"/> per row: campaign id and placement bucket key.</summary>
    public required int[] Cell { get; init; }

    public required List<(string CampaignId, int Kind, int W, int H, int DeviceClass)> Cells { get; init; }

    public required long Bids { get; init; }

    public required long Wins { get; init; }

    public required long Clicks { get; init; }

    /// <summary>The log's outcome records: notices by kind, and those that joined no bid.</summary>
    public LogCounts Log { get; init; } = LogCounts.None;

    public ReadOnlySpan<int> Row(int i) => Ids.AsSpan(i * FeatureSpec.FeatureCount, FeatureSpec.FeatureCount);

    /// <summary>The first row of the held-out tail: the last <paramref name="holdoutFraction"/> of rows in time order.</summary>
    public int HoldoutStart(double holdoutFraction) => (int)Math.Round(Count * (1.0 - holdoutFraction));
}
