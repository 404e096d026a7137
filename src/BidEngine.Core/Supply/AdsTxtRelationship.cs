namespace BidEngine.Core.Supply;

/// <summary>The relationship field of an ads.txt line, as flags: a seller listed both ways has both.</summary>
[Flags]
public enum AdsTxtRelationship : byte
{
    None = 0,

    /// <summary>The publisher's own account in the advertising system.</summary>
    Direct = 1,

    /// <summary>An account of someone the publisher lets resell its inventory.</summary>
    Reseller = 2,
}
