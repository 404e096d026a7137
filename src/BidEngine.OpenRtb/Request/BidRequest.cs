using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

/// <summary>
/// One OpenRTB 2.5/2.6 bid request, as much of it as the bidder uses. Instances are pooled: the
/// parser fills one, the pipeline reads it, <see cref="Reset"/> empties it for the next request.
/// String fields are <see cref="Utf8Slice"/>s into <see cref="Text"/>.
/// </summary>
public sealed class BidRequest : IResettable
{
    public TextArena Text { get; } = new();

    public Utf8Slice Id { get; set; }

    /// <summary>Milliseconds the exchange allows, network included; 0 when absent.</summary>
    public int Tmax { get; set; }

    /// <summary>Auction type: 1 first price, 2 second price plus (the default).</summary>
    public int AuctionType { get; set; } = 2;

    public bool Test { get; set; }

    public List<Utf8Slice> Cur { get; } = [];

    public List<Utf8Slice> Bcat { get; } = [];

    public List<Utf8Slice> Badv { get; } = [];

    public List<Utf8Slice> Bapp { get; } = [];

    public List<Utf8Slice> Wseat { get; } = [];

    public List<Utf8Slice> Bseat { get; } = [];

    public ReusableList<Imp> Imps { get; } = new();

    public Site Site { get; } = new();

    public App App { get; } = new();

    public Device Device { get; } = new();

    public User User { get; } = new();

    public Regs Regs { get; } = new();

    public Source Source { get; } = new();

    /// <summary>Returns the UTF-8 bytes of a string field of this request.</summary>
    public ReadOnlySpan<byte> this[Utf8Slice slice] => Text[slice];

    /// <summary>Where the user is: the device's location when the request has one, else the user's home.</summary>
    public Geo Geo => Device.Geo.Present ? Device.Geo : User.Geo;

    /// <summary>The publisher of the site or app, whichever the request has.</summary>
    public Utf8Slice PublisherId => Site.Present ? Site.PublisherId : App.PublisherId;

    public void Reset()
    {
        Text.Reset();
        Id = default;
        Tmax = 0;
        AuctionType = 2;
        Test = false;
        Cur.Clear();
        Bcat.Clear();
        Badv.Clear();
        Bapp.Clear();
        Wseat.Clear();
        Bseat.Clear();
        Imps.Clear();
        Site.Reset();
        App.Reset();
        Device.Reset();
        User.Reset();
        Regs.Reset();
        Source.Reset();
    }
}
