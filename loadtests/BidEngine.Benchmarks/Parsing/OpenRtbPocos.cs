using System.Text.Json;
using System.Text.Json.Serialization;

namespace BidEngine.Benchmarks.Parsing;

// The baseline of the parsing benchmark: plain classes for the whole OpenRTB 2.6 request, as a
// bidder without a hand-written parser would have them, read by JsonSerializer.
#pragma warning disable CA1056, CA1819, CA2227, SA1402
public sealed class PocoBidRequest
{
    public string? Id { get; set; }
    public List<PocoImp>? Imp { get; set; }
    public PocoSite? Site { get; set; }
    public PocoApp? App { get; set; }
    public PocoDevice? Device { get; set; }
    public PocoUser? User { get; set; }
    public int Test { get; set; }
    public int At { get; set; }
    public int Tmax { get; set; }
    public List<string>? Wseat { get; set; }
    public List<string>? Bseat { get; set; }
    public int Allimps { get; set; }
    public List<string>? Cur { get; set; }
    public List<string>? Wlang { get; set; }
    public List<string>? Bcat { get; set; }
    public List<string>? Badv { get; set; }
    public List<string>? Bapp { get; set; }
    public PocoSource? Source { get; set; }
    public PocoRegs? Regs { get; set; }
    public JsonElement? Ext { get; set; }
}

public sealed class PocoImp
{
    public string? Id { get; set; }
    public PocoBanner? Banner { get; set; }
    public PocoVideo? Video { get; set; }
    public PocoNative? Native { get; set; }
    public PocoPmp? Pmp { get; set; }
    public string? Displaymanager { get; set; }
    public string? Displaymanagerver { get; set; }
    public int Instl { get; set; }
    public string? Tagid { get; set; }
    public double Bidfloor { get; set; }
    public string? Bidfloorcur { get; set; }
    public int Secure { get; set; }
    public int Exp { get; set; }
    public JsonElement? Ext { get; set; }
}

public sealed class PocoFormat
{
    public int W { get; set; }
    public int H { get; set; }
    public int Wratio { get; set; }
    public int Hratio { get; set; }
    public int Wmin { get; set; }
}

public sealed class PocoBanner
{
    public List<PocoFormat>? Format { get; set; }
    public int W { get; set; }
    public int H { get; set; }
    public List<int>? Btype { get; set; }
    public List<int>? Battr { get; set; }
    public int Pos { get; set; }
    public List<string>? Mimes { get; set; }
    public int Topframe { get; set; }
    public List<int>? Expdir { get; set; }
    public List<int>? Api { get; set; }
    public string? Id { get; set; }
    public int Vcm { get; set; }
    public JsonElement? Ext { get; set; }
}

public sealed class PocoVideo
{
    public List<string>? Mimes { get; set; }
    public int Minduration { get; set; }
    public int Maxduration { get; set; }
    public List<int>? Protocols { get; set; }
    public int W { get; set; }
    public int H { get; set; }
    public int Startdelay { get; set; }
    public int Placement { get; set; }
    public int Plcmt { get; set; }
    public int Linearity { get; set; }
    public int Skip { get; set; }
    public List<int>? Battr { get; set; }
    public int Maxbitrate { get; set; }
    public List<int>? Playbackmethod { get; set; }
    public List<int>? Delivery { get; set; }
    public int Pos { get; set; }
    public List<int>? Api { get; set; }
    public JsonElement? Ext { get; set; }
}

public sealed class PocoNative
{
    public string? Request { get; set; }
    public string? Ver { get; set; }
    public List<int>? Api { get; set; }
    public List<int>? Battr { get; set; }
    public JsonElement? Ext { get; set; }
}

public sealed class PocoPmp
{
    [JsonPropertyName("private_auction")]
    public int PrivateAuction { get; set; }
    public List<PocoDeal>? Deals { get; set; }
}

public sealed class PocoDeal
{
    public string? Id { get; set; }
    public double Bidfloor { get; set; }
    public string? Bidfloorcur { get; set; }
    public int At { get; set; }
    public List<string>? Wseat { get; set; }
    public List<string>? Wadomain { get; set; }
}

public sealed class PocoPublisher
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public List<string>? Cat { get; set; }
    public string? Domain { get; set; }
}

public sealed class PocoSite
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Domain { get; set; }
    public List<string>? Cat { get; set; }
    public string? Page { get; set; }
    public string? Ref { get; set; }
    public PocoPublisher? Publisher { get; set; }
    public JsonElement? Ext { get; set; }
}

public sealed class PocoApp
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Bundle { get; set; }
    public string? Domain { get; set; }
    public string? Storeurl { get; set; }
    public List<string>? Cat { get; set; }
    public string? Ver { get; set; }
    public int Paid { get; set; }
    public PocoPublisher? Publisher { get; set; }
    public JsonElement? Ext { get; set; }
}

public sealed class PocoGeo
{
    public double Lat { get; set; }
    public double Lon { get; set; }
    public int Type { get; set; }
    public string? Country { get; set; }
    public string? Region { get; set; }
    public string? Metro { get; set; }
    public string? City { get; set; }
    public string? Zip { get; set; }
    public int Utcoffset { get; set; }
}

public sealed class PocoDevice
{
    public string? Ua { get; set; }
    public PocoGeo? Geo { get; set; }
    public int Dnt { get; set; }
    public int Lmt { get; set; }
    public string? Ip { get; set; }
    public string? Ipv6 { get; set; }
    public int Devicetype { get; set; }
    public string? Make { get; set; }
    public string? Model { get; set; }
    public string? Os { get; set; }
    public string? Osv { get; set; }
    public string? Hwv { get; set; }
    public int H { get; set; }
    public int W { get; set; }
    public double Pxratio { get; set; }
    public int Js { get; set; }
    public string? Language { get; set; }
    public string? Carrier { get; set; }
    public int Connectiontype { get; set; }
    public string? Ifa { get; set; }
    public JsonElement? Ext { get; set; }
}

public sealed class PocoUser
{
    public string? Id { get; set; }
    public string? Buyeruid { get; set; }
    public int Yob { get; set; }
    public string? Gender { get; set; }
    public string? Keywords { get; set; }
    public PocoGeo? Geo { get; set; }
    public JsonElement? Ext { get; set; }
}

public sealed class PocoRegs
{
    public int Coppa { get; set; }
    public int Gdpr { get; set; }
    [JsonPropertyName("us_privacy")]
    public string? UsPrivacy { get; set; }
    public string? Gpp { get; set; }
    public JsonElement? Ext { get; set; }
}

public sealed class PocoSchainNode
{
    public string? Asi { get; set; }
    public string? Sid { get; set; }
    public int Hp { get; set; }
}

public sealed class PocoSchain
{
    public int Complete { get; set; }
    public string? Ver { get; set; }
    public List<PocoSchainNode>? Nodes { get; set; }
}

public sealed class PocoSource
{
    public string? Tid { get; set; }
    public PocoSchain? Schain { get; set; }
    public JsonElement? Ext { get; set; }
}

/// <summary>Source-generated metadata for the same classes: JsonSerializer's fastest mode.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(PocoBidRequest))]
internal sealed partial class PocoJsonContext : JsonSerializerContext;
#pragma warning restore CA1056, CA1819, CA2227, SA1402
