namespace BidEngine.Core.Supply;

/// <summary>One entry of a sellers.json: its type, and whether it is confidential (name and domain withheld) or a passthrough.</summary>
public readonly record struct Seller(SellerType Type, bool Confidential, bool Passthrough);
