using BidEngine.Core.Features;
using BidEngine.Core.Pipeline;
using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>
/// A bid the bidder sent: for which imp, with which campaign and creative, at what price and
/// pCTR, and the <see cref="FeatureInputsRecord"/> the pCTR was computed from. Training joins it
/// to its <see cref="WinEvent"/> and <see cref="ClickEvent"/>s and hashes <see cref="Inputs"/>
/// with <see cref="FeatureSpec.Hash"/>: the same ids the bidder scored.
/// </summary>
[MessagePackObject]
public sealed class BidEvent : EventRecord
{
    /// <summary>The bid price, CPM in USD.</summary>
    [Key(5)]
    public double PriceCpm { get; set; }

    /// <summary>The click probability the price was based on.</summary>
    [Key(6)]
    public float PCtr { get; set; }

    /// <summary>How the pCTR was obtained: the model or, when time ran short, the heuristic.</summary>
    [Key(7)]
    public ScoringPath ScoringPath { get; set; }

    [Key(8)]
    public FeatureInputsRecord Inputs { get; set; } = new();

    /// <summary><see cref="FeatureSpec.Version"/> of the bidder that logged it.</summary>
    [Key(9)]
    public string FeatureSpecVersion { get; set; } = FeatureSpec.Version;

    /// <summary>Microseconds from the request's arrival to the decision; 0 in logs written before it was added.</summary>
    [Key(10)]
    public long DecisionMicros { get; set; }

    /// <summary>
    /// What the privacy step decided for the request, as a <see cref="Privacy.PrivacyReason"/>: None,
    /// or why the bid went without user data or precise geo. None in logs written before it was added.
    /// </summary>
    [Key(11)]
    public Privacy.PrivacyReason PrivacyReason { get; set; }

    /// <summary>What a report-only traffic or supply check found in the request that still bid; None in logs written before it was added.</summary>
    [Key(12)]
    public Traffic.TrafficReason TrafficReason { get; set; }
}
