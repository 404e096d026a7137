namespace BidEngine.Core.Pricing;

/// <summary>What a first-price outcome told <see cref="LearnedShading"/>.</summary>
public enum ShadingEvidence
{
    /// <summary>A win or a loss to a higher bid with <c>${AUCTION_MIN_TO_WIN}</c>: the threshold exactly.</summary>
    Exact,

    /// <summary>A win without min-to-win: the threshold was at most the bid.</summary>
    Win,

    /// <summary>A loss to a higher bid (102) without min-to-win: the threshold was above the bid.</summary>
    PriceLoss,

    /// <summary>A loss for any other reason (floor, blocked, deal, invalid, ...): nothing about price.</summary>
    NoPrice,

    /// <summary>Not used: learning off, a price or value not positive, the campaign gone, or the table full.</summary>
    Dropped,
}
