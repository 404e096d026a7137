using BidEngine.Core.Campaigns;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Features;

/// <summary>
/// The raw values one scoring row's features are made of: step (a) of feature extraction, a
/// handful of spans into the request's text and the campaign's UTF-8 ids plus a few ints.
/// Step (b), <see cref="FeatureSpec.Hash"/>, turns them into ids. The bidder fills one from the
/// parsed request (<see cref="From"/>); the event log stores the same values
/// (<c>Events.FeatureInputsRecord</c>) so that training hashes exactly what serving hashed.
/// A <c>ref struct</c>: lives on the stack, copies nothing, allocates nothing.
/// </summary>
public ref struct FeatureInputs
{
    /// <summary>True when the request came from an app (then <see cref="SiteOrBundle"/> is the bundle).</summary>
    public bool IsApp;

    /// <summary><c>site.domain</c>, or <c>app.bundle</c> when <see cref="IsApp"/>.</summary>
    public ReadOnlySpan<byte> SiteOrBundle;

    /// <summary><c>site.publisher.id</c> or <c>app.publisher.id</c>.</summary>
    public ReadOnlySpan<byte> PublisherId;

    /// <summary><c>imp.tagid</c>.</summary>
    public ReadOnlySpan<byte> TagId;

    /// <summary>The creative's kind (<see cref="CreativeKind"/> as an int, OpenRTB <c>mtype</c>).</summary>
    public int CreativeKind;

    /// <summary>Creative width; 0 for native and audio.</summary>
    public int W;

    /// <summary>Creative height; 0 for native and audio.</summary>
    public int H;

    /// <summary>Ad position (OpenRTB list 5.4) of the banner or video object the creative fills; 0 unknown.</summary>
    public int Pos;

    /// <summary><c>device.devicetype</c>; 0 unknown.</summary>
    public int DeviceType;

    /// <summary><c>device.os</c>, compared without ASCII case.</summary>
    public ReadOnlySpan<byte> Os;

    /// <summary><c>device.make</c>, compared without ASCII case.</summary>
    public ReadOnlySpan<byte> Make;

    /// <summary><c>geo.country</c> (device geo, else user geo), compared without ASCII case.</summary>
    public ReadOnlySpan<byte> Country;

    /// <summary><c>geo.region</c>, compared without ASCII case; hashed together with the country.</summary>
    public ReadOnlySpan<byte> Region;

    /// <summary>When the row was scored, UTC.</summary>
    public DateTime UtcNow;

    /// <summary>True when <c>geo.utcoffset</c> was sent; else hour and day are UTC with an "unknown tz" marker.</summary>
    public bool HasUtcOffset;

    /// <summary><c>geo.utcoffset</c> in minutes, when <see cref="HasUtcOffset"/>.</summary>
    public int UtcOffsetMinutes;

    /// <summary>The campaign's id, UTF-8.</summary>
    public ReadOnlySpan<byte> CampaignId;

    /// <summary>The creative's id, UTF-8.</summary>
    public ReadOnlySpan<byte> CreativeId;

    /// <summary>Reads the inputs of one (imp × candidate) row from the parsed request. Allocates nothing.</summary>
    public static FeatureInputs From(BidRequest request, Imp imp, Campaign campaign, Creative creative, DateTime utcNow)
    {
        var isApp = !request.Site.Present && request.App.Present;
        var device = request.Device;
        var geo = request.Geo;
        var pos = creative.Kind == Campaigns.CreativeKind.Video
            ? (imp.Video.Present ? imp.Video.Pos : imp.Banner.Pos)
            : (imp.Banner.Present ? imp.Banner.Pos : imp.Video.Pos);
        return new FeatureInputs
        {
            IsApp = isApp,
            SiteOrBundle = isApp ? request[request.App.Bundle] : request[request.Site.Domain],
            PublisherId = request[request.PublisherId],
            TagId = request[imp.TagId],
            CreativeKind = (int)creative.Kind,
            W = creative.W,
            H = creative.H,
            Pos = pos,
            DeviceType = device.DeviceType,
            Os = request[device.Os],
            Make = request[device.Make],
            Country = request[geo.Country],
            Region = request[geo.Region],
            UtcNow = utcNow,
            HasUtcOffset = geo.UtcOffset.HasValue,
            UtcOffsetMinutes = geo.UtcOffset.GetValueOrDefault(),
            CampaignId = campaign.IdUtf8,
            CreativeId = creative.IdUtf8,
        };
    }

    /// <summary>
    /// Hour of day (0..23) and day of week (0 Sunday..6) where the user is, when the offset is
    /// known; else UTC's.
    /// </summary>
    public readonly (int Hour, int DayOfWeek) LocalTime()
    {
        // Tick arithmetic rather than DateTime.AddMinutes: cannot throw near DateTime.MinValue.
        var ticks = UtcNow.Ticks + (HasUtcOffset ? Math.Clamp(UtcOffsetMinutes, -24 * 60, 24 * 60) * TimeSpan.TicksPerMinute : 0);
        var hours = FloorDiv(ticks, TimeSpan.TicksPerHour);
        var days = FloorDiv(ticks, TimeSpan.TicksPerDay);

        // 0001-01-01 (day 0) was a Monday.
        return ((int)(((hours % 24) + 24) % 24), (int)(((days + 1) % 7 + 7) % 7));
    }

    private static long FloorDiv(long a, long b)
    {
        var (q, r) = Math.DivRem(a, b);
        return r < 0 ? q - 1 : q;
    }
}
