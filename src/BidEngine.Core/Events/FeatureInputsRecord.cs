using BidEngine.Core.Features;
using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>
/// <see cref="FeatureInputs"/> as stored in a <see cref="BidEvent"/>: the raw values, not the
/// hashed ids, so that training hashes them with the current <see cref="FeatureSpec"/> code
/// and gets the ids the bidder scored (tested: same ids from a request and from its record).
/// Text fields are the request's UTF-8 bytes, unchanged; null when absent.
/// </summary>
[MessagePackObject]
public sealed class FeatureInputsRecord
{
    [Key(0)]
    public bool IsApp { get; set; }

    [Key(1)]
    public byte[]? SiteOrBundle { get; set; }

    [Key(2)]
    public byte[]? PublisherId { get; set; }

    [Key(3)]
    public byte[]? TagId { get; set; }

    [Key(4)]
    public int CreativeKind { get; set; }

    [Key(5)]
    public int W { get; set; }

    [Key(6)]
    public int H { get; set; }

    [Key(7)]
    public int Pos { get; set; }

    [Key(8)]
    public int DeviceType { get; set; }

    [Key(9)]
    public byte[]? Os { get; set; }

    [Key(10)]
    public byte[]? Make { get; set; }

    [Key(11)]
    public byte[]? Country { get; set; }

    [Key(12)]
    public byte[]? Region { get; set; }

    /// <summary>The <see cref="FeatureInputs.UtcNow"/> the row was scored at, in ticks: exact, so hour and day match.</summary>
    [Key(13)]
    public long UtcTicks { get; set; }

    /// <summary><c>geo.utcoffset</c> in minutes; null when the request had none.</summary>
    [Key(14)]
    public int? UtcOffsetMinutes { get; set; }

    [Key(15)]
    public byte[]? CampaignId { get; set; }

    [Key(16)]
    public byte[]? CreativeId { get; set; }

    /// <summary>Copies the inputs for the log (allocates the byte arrays).</summary>
    public static FeatureInputsRecord From(scoped in FeatureInputs inputs) => new()
    {
        IsApp = inputs.IsApp,
        SiteOrBundle = inputs.SiteOrBundle.ToArray(),
        PublisherId = inputs.PublisherId.ToArray(),
        TagId = inputs.TagId.ToArray(),
        CreativeKind = inputs.CreativeKind,
        W = inputs.W,
        H = inputs.H,
        Pos = inputs.Pos,
        DeviceType = inputs.DeviceType,
        Os = inputs.Os.ToArray(),
        Make = inputs.Make.ToArray(),
        Country = inputs.Country.ToArray(),
        Region = inputs.Region.ToArray(),
        UtcTicks = inputs.UtcNow.Ticks,
        UtcOffsetMinutes = inputs.HasUtcOffset ? inputs.UtcOffsetMinutes : null,
        CampaignId = inputs.CampaignId.ToArray(),
        CreativeId = inputs.CreativeId.ToArray(),
    };

    /// <summary>The inputs as spans over this record's arrays, ready for <see cref="FeatureSpec.Hash"/>. Allocates nothing.</summary>
    public FeatureInputs ToInputs() => new()
    {
        IsApp = IsApp,
        SiteOrBundle = SiteOrBundle,
        PublisherId = PublisherId,
        TagId = TagId,
        CreativeKind = CreativeKind,
        W = W,
        H = H,
        Pos = Pos,
        DeviceType = DeviceType,
        Os = Os,
        Make = Make,
        Country = Country,
        Region = Region,
        UtcNow = new DateTime(UtcTicks, DateTimeKind.Utc),
        HasUtcOffset = UtcOffsetMinutes.HasValue,
        UtcOffsetMinutes = UtcOffsetMinutes.GetValueOrDefault(),
        CampaignId = CampaignId,
        CreativeId = CreativeId,
    };
}
