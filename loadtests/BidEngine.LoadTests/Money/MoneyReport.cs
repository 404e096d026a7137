using System.Globalization;

namespace BidEngine.LoadTests.Money;

/// <summary>What a <c>money</c> run measured: traffic through the front, notices, and the budgeted campaign's money as the store has it.</summary>
public sealed record MoneyReport
{
    public required string Date { get; init; }

    public required int Nodes { get; init; }

    public required double RateRps { get; init; }

    public required double DurationSeconds { get; init; }

    public required long Requests { get; init; }

    public required long Bids { get; init; }

    public required long NoBids { get; init; }

    public required long Answers5xx { get; init; }

    public required long OtherStatus { get; init; }

    public required long Errors { get; init; }

    public required double RequestsPerSecond { get; init; }

    public required double BidsPerSecond { get; init; }

    public required IReadOnlyDictionary<string, long> BidsByCampaign { get; init; }

    /// <summary>Notices sent by kind and answer, e.g. "bill 204", "replay 204", "loss 204", "bill error".</summary>
    public required IReadOnlyDictionary<string, long> Notices { get; init; }

    public required long NoticesSent { get; init; }

    public required long Notices5xx { get; init; }

    public required double BudgetUsd { get; init; }

    /// <summary>The store's <c>spent</c> of the campaign after the settle wait (fleet-wide billed spend); null without --store.</summary>
    public double? StoreSpentUsd { get; init; }

    /// <summary>The store's <c>leased</c> of the campaign after the settle wait: slices nodes still hold.</summary>
    public double? StoreLeasedUsd { get; init; }

    /// <summary>The highest of the nodes' <c>bidengine_campaign_spent_currency_units{period="total"}</c> (each reports the fleet's spend).</summary>
    public double? MetricsSpentUsd { get; init; }

    /// <summary>Clearing prices of the campaign's bills the nodes answered 204 to (first sends only), as the exchange would invoice them.</summary>
    public required double BilledUsd { get; init; }

    /// <summary>Bid prices of the campaign's bids that got no notice at all: held as reservations until they expire.</summary>
    public required double SilentHeldUsd { get; init; }

    public double? OverspendRatio { get; init; }

    /// <summary>(budget − spend) ÷ budget once the campaign stopped bidding; null when it never stopped.</summary>
    public double? StrandedRatio { get; init; }

    /// <summary>Seconds into the run of the campaign's last bid; null when it made none.</summary>
    public double? LastBudgetedBidSeconds { get; init; }

    public required bool CampaignStopped { get; init; }

    /// <summary><c>bidengine_store_round_trips_total</c> deltas over the sending phase, all nodes; null when the metric is absent.</summary>
    public double? BackgroundRoundTrips { get; init; }

    public double? NoticeRoundTrips { get; init; }

    public double? BackgroundRoundTripsPerBid { get; init; }

    public double? NoticeRoundTripsPerNotice { get; init; }

    /// <summary>The store's total_commands_processed over the sending phase ÷ bids: commands run inside scripts count too, so this is not round trips.</summary>
    public double? StoreCommandsPerBid { get; init; }

    public required bool GoalsMet { get; init; }

    public void Write(TextWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var c = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(c, $"money run {Date}: {Nodes} node(s), {RateRps:0} rps offered for {DurationSeconds:0.#} s"));
        w.WriteLine(string.Create(c, $"  through the front: {Requests} requests, {RequestsPerSecond:0.0}/s; bids {Bids} ({BidsPerSecond:0.0}/s), no-bids {NoBids}, 5xx {Answers5xx}, other {OtherStatus}, errors/timeouts {Errors}"));
        w.WriteLine("  bids by campaign: " + string.Join(", ", BidsByCampaign.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
        w.WriteLine(string.Create(c, $"  notices to nodes: {NoticesSent} sent, 5xx {Notices5xx}; ") + string.Join(", ", Notices.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")));
        w.WriteLine(string.Create(c, $"  budget {BudgetUsd:0.######} USD; store spent {Usd(StoreSpentUsd)}, leased {Usd(StoreLeasedUsd)}; nodes' metrics spent {Usd(MetricsSpentUsd)}; bills accepted {BilledUsd:0.######} USD"));
        w.WriteLine(string.Create(c, $"  overspend {Pct(OverspendRatio)} of budget (goal <= 1%); stranded {Pct(StrandedRatio)} (goal <= 5%){(CampaignStopped ? "" : ": the campaign never stopped bidding")}; held by bids that heard nothing {SilentHeldUsd:0.######} USD ({Pct(SilentHeldUsd / BudgetUsd)})"));
        w.WriteLine(string.Create(c, $"  campaign's last bid at {(LastBudgetedBidSeconds is { } s ? s.ToString("0.0", c) + " s" : "n/a")}"));
        w.WriteLine(string.Create(c, $"  store round trips: background {Num(BackgroundRoundTrips)} = {Num(BackgroundRoundTripsPerBid, "0.0000")} per bid; notice {Num(NoticeRoundTrips)} = {Num(NoticeRoundTripsPerNotice, "0.00")} per notice; commands the store executed (script calls included) {Num(StoreCommandsPerBid, "0.0")} per bid"));
        w.WriteLine(GoalsMet ? "  goals met" : "  GOAL MISSED");
    }

    private static string Usd(double? v) => v is { } x ? x.ToString("0.######", CultureInfo.InvariantCulture) + " USD" : "n/a";

    private static string Pct(double? v) => v is { } x ? (100 * x).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static string Num(double? v, string format = "0") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
