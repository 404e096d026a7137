namespace BidEngine.LoadTests.Money;

/// <summary>The <c>money</c> run's settings: where the fleet is, how hard to drive it, and what the exchange does with each bid.</summary>
public sealed record MoneyOptions
{
    /// <summary>The fleet's front (HAProxy): every bid request goes here.</summary>
    public required Uri Front { get; init; }

    /// <summary>The nodes' own addresses: notices go to one of them at random, as an exchange's retries land anywhere.</summary>
    public required IReadOnlyList<Uri> Nodes { get; init; }

    /// <summary>Each node's management listener (<c>/metrics</c>), in the order of <see cref="Nodes"/>; empty: none is read.</summary>
    public IReadOnlyList<Uri> Management { get; init; } = [];

    /// <summary>The store (host:port, Redis protocol) to read the fleet's spend from; null: the nodes' /metrics only.</summary>
    public string? Store { get; init; }

    /// <summary>The budgeted campaign's id, and its total budget in USD (as in the campaign file).</summary>
    public string Campaign { get; init; } = "cmp-budgeted";

    public double BudgetUsd { get; init; } = 5;

    /// <summary>The prefix of the store's keys (<c>BidEngine:State:Redis:KeyPrefix</c>).</summary>
    public string KeyPrefix { get; init; } = "be:";

    public double Rate { get; init; } = 400;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(40);

    public int Connections { get; init; } = 32;

    /// <summary>Share of requests for the budgeted campaign's size (300x250); the rest ask for 728x90, which only unbudgeted campaigns fill.</summary>
    public double BudgetedShare { get; init; } = 0.5;

    /// <summary>Share of bids whose billing notice (burl) is sent; clearing price 0.7..1.0 of the bid.</summary>
    public double BillRatio { get; init; } = 0.7;

    /// <summary>Share of bids whose loss notice (lurl) is sent; the rest of the bids hear nothing.</summary>
    public double LossRatio { get; init; } = 0.25;

    /// <summary>Share of sent bills sent again, to another node, a little later (an exchange's retry).</summary>
    public double ReplayRatio { get; init; } = 0.05;

    /// <summary>Longest random wait between a bid and its notice.</summary>
    public TimeSpan MaxNoticeDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Wait after the last notice before the store is read: idle leases go back (IdleReturnAfter 5 s).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(15);

    public int Seed { get; init; } = 42;

    /// <summary>Where the report goes as JSON; null: console only.</summary>
    public string? Out { get; init; }

    /// <summary>Goals from the fleet issue: overspend and stranded money as a share of the budget.</summary>
    public double MaxOverspendRatio { get; init; } = 0.01;

    public double MaxStrandedRatio { get; init; } = 0.05;
}
