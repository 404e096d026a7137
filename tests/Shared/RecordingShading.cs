using System.Collections.Concurrent;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Pricing;

namespace BidEngine.Tests.Shared;

/// <summary>A shading that prices like the fixed factor and writes down what the verified notices told it (the real one is the pricing room's).</summary>
internal sealed class RecordingShading : IBidShading
{
    public ConcurrentQueue<(string Campaign, double BidCpm, double ValueCpm, double? MinToWin)> Wins { get; } = new();

    public ConcurrentQueue<(string Campaign, double BidCpm, double ValueCpm, int Reason, double? MinToWin)> Losses { get; } = new();

    public double FirstPriceFactor(Campaign campaign) => 0.85;

    public void ObserveWin(Campaign campaign, double bidCpm, double valueCpm, double? minToWinCpm) => Wins.Enqueue((campaign.Id, bidCpm, valueCpm, minToWinCpm));

    public void ObserveLoss(Campaign campaign, double bidCpm, double valueCpm, int lossReason, double? minToWinCpm) =>
        Losses.Enqueue((campaign.Id, bidCpm, valueCpm, lossReason, minToWinCpm));
}
