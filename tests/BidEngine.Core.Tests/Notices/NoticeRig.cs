using System.Buffers;
using System.Text;
using System.Text.Json;
using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Eligibility;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Pricing;
using BidEngine.Core.Time;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Response;

namespace BidEngine.Core.Tests.Notices;

/// <summary>
/// The notice room with real parts around it: a campaign, the in-process ledger, frequency caps,
/// counts, a manual clock, a signer and a replay window. Bids are reserved in the ledger as the
/// pipeline reserves them; their URLs are written by <see cref="NoticeUrls"/> and sent back as an
/// exchange would, macros filled in.
/// </summary>
internal sealed class NoticeRig
{
    public static readonly Campaign Acme = TestCampaigns.Campaign("cmp 1/a", [TestCampaigns.Banner("cr-300", 300, 250)]);

    public static readonly long Bucket = PlacementBucket.Key(Acme.Creatives[0], deviceType: 4);

    private static long s_bidIds = 1000;

    public NoticeRig(byte[]? key = null, byte[]? previousKey = null, int windowCapacity = 4096, TimeSpan? lifetime = null, IBidShading? shading = null, Core.Exchanges.ExchangeDirectory? exchanges = null)
    {
        Clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        Snapshot = TestCampaigns.Snapshot(Acme);
        Ledger = new InProcessBudgetLedger(Clock);
        Caps = new FrequencyCapTable(Clock, new FrequencyCapOptions { Capacity = 64 });
        new CampaignGate(Clock, Ledger, Caps).Register(Snapshot);
        Signer = key is null ? NoticeSigner.WithRandomKey() : new NoticeSigner(key, previousKey);
        Window = new ReplayWindow(windowCapacity);
        Shading = shading ?? new RecordingShading();
        Notices = new OutcomeNotices(() => Snapshot, Counts, new BillingBook(Ledger, Caps), Signer, Window, Clock, lifetime ?? TimeSpan.FromSeconds(600), Shading, exchanges: exchanges)
        {
            WinsAndLosses = WinsAndLosses,
        };
        Urls = new NoticeUrls("https://bidder.example/", Signer, Clock);
        Request = new BidRequest();
        Assert.True(BidRequestParser.Parse("""{"id":"req-7","imp":[{"id":"imp-1","banner":{"w":300,"h":250}}]}"""u8.ToArray(), Request).IsSuccess);
    }

    public ManualClock Clock { get; }

    public CampaignSnapshot Snapshot { get; }

    public InProcessBudgetLedger Ledger { get; }

    public FrequencyCapTable Caps { get; }

    public OutcomeCounts Counts { get; } = new();

    public WinLossCounts WinsAndLosses { get; } = new();

    public NoticeSigner Signer { get; }

    public ReplayWindow Window { get; }

    public IBidShading Shading { get; }

    public RecordingShading Recorded => (RecordingShading)Shading;

    public OutcomeNotices Notices { get; }

    public NoticeUrls Urls { get; }

    public BidRequest Request { get; }

    /// <summary>A bid at <paramref name="price"/> CPM USD, its price held in the ledger as the pipeline holds it.</summary>
    public ResponseBid Bid(double price = 2.0, bool firstPrice = false, double value = 3.0, ulong user = 0)
    {
        var bid = new ResponseBid
        {
            Id = Interlocked.Increment(ref s_bidIds),
            ImpId = Request.Imps[0].Id,
            Price = price,
            Cid = Acme.IdUtf8,
            Crid = Acme.Creatives[0].IdUtf8,
            Notices = Urls,
            NoticeBucket = Bucket,
            NoticeUser = user,
            NoticeCurrency = "USD"u8.ToArray(),
            NoticeValueCpm = value,
            NoticeFirstPrice = firstPrice,
        };
        Assert.Equal(ReserveOutcome.Reserved, Ledger.Reserve(Acme.Id, bid.Id, Money.PerImpressionFromCpm(price)));
        return bid;
    }

    /// <summary>The URL of <paramref name="kind"/> as the bid carries it (the JSON string value, read back).</summary>
    public string Url(NoticeKind kind, ResponseBid bid)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            switch (kind)
            {
                case NoticeKind.Win: Urls.WriteWinUrl(writer, Request, bid); break;
                case NoticeKind.Impression: Urls.WriteBillingUrl(writer, Request, bid); break;
                case NoticeKind.Loss: Urls.WriteLossUrl(writer, Request, bid); break;
                default: Urls.WriteClickUrl(writer, Request, bid); break;
            }

            writer.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);
        }

        return JsonSerializer.Deserialize<string>(output.WrittenSpan)!;
    }

    /// <summary>The query of a URL with the exchange's macros filled in.</summary>
    public static string Fill(string url, string price = "1.5", string currency = "USD", string loss = "102", string minToWin = "")
    {
        var filled = url.Replace(NoticeUrls.PriceMacro, price, StringComparison.Ordinal)
            .Replace(NoticeUrls.CurrencyMacro, currency, StringComparison.Ordinal)
            .Replace(NoticeUrls.LossMacro, loss, StringComparison.Ordinal)
            .Replace(NoticeUrls.MinToWinMacro, minToWin, StringComparison.Ordinal);
        return filled[filled.IndexOf('?', StringComparison.Ordinal)..];
    }

    /// <summary>The exchange (or the browser, for clicks) calls the bid's URL of <paramref name="kind"/>.</summary>
    public NoticeResult Send(NoticeKind kind, ResponseBid bid, string price = "1.5", string loss = "102", string minToWin = "") =>
        Notices.Handle(kind, Fill(Url(kind, bid), price, loss: loss, minToWin: minToWin));

    public long SpentNanos => Ledger.TryRead(Acme.Id, out var balance) ? balance.SpentNanos : 0;

    public long ReservedNanos => Ledger.TryRead(Acme.Id, out var balance) ? balance.ReservedNanos : 0;

    public static string Token(string url)
    {
        var start = url.IndexOf("t=", StringComparison.Ordinal) + 2;
        var end = url.IndexOf('&', start);
        return end < 0 ? url[start..] : url[start..end];
    }

    public static byte[] Key(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    public static string Ascii(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
