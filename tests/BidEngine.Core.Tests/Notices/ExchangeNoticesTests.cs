using System.Buffers;
using System.Text;
using System.Text.Json;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Notices;
using BidEngine.OpenRtb.Response;

namespace BidEngine.Core.Tests.Notices;

/// <summary>
/// Notices judged by the profile of the exchange their token names, in the notice room itself: the
/// writer per exchange, and an exchange that bills on nurl at an encrypted price, billed to the micro
/// without allocating.
/// </summary>
public sealed class ExchangeNoticesTests
{
    private const string EncryptionKey = "skU7Ax_NL5pPAFyKdkfZjZz2-VhIN8bjj1rVFOaJ_5o=";
    private const string IntegrityKey = "arO23ykdNqUQ5LEoQ0FVmPkBd7xB5CO89PDZlSjpFxo=";
    private const int Rounds = 1000;

    private static readonly EncryptedPriceKeys Keys = EncryptedPriceKeys.FromBase64(EncryptionKey, IntegrityKey);

    private static ExchangeDirectory Directory() => new(
        new Dictionary<string, ExchangeProfile>
        {
            ["capped"] = new()
            {
                BillOn = BillingUrl.Nurl,
                PriceMacro = PriceEncoding.Encrypted,
                PriceKeys = new PriceKeyOptions { EncryptionKey = EncryptionKey, IntegrityKey = IntegrityKey },
            },
            ["prebid"] = new(),
        },
        new DeadlineOptions(),
        Core.Time.SystemClock.Instance);

    private static string Encrypt(long micros, int seed)
    {
        var iv = new byte[16];
        new Random(seed).NextBytes(iv);
        var text = new byte[EncryptedPriceKeys.EncodedLength];
        Keys.Encrypt(micros, iv, text);
        return Encoding.ASCII.GetString(text);
    }

    [Fact]
    public void EachExchangeHasOneWriterAndANurlExchangesBidsCarryNoBurlNorACreativesOwnNurl()
    {
        var directory = Directory();
        var rig = new NoticeRig(exchanges: directory);
        Assert.True(directory.TryGet("capped", out var capped));
        Assert.True(directory.TryGet("prebid"u8, out var prebid));

        Assert.Same(rig.Urls, rig.Urls.For(null));
        Assert.Same(rig.Urls.For(capped), rig.Urls.For(capped));
        Assert.Same(rig.Urls.For(capped), rig.Urls.For(prebid).For(capped));
        Assert.False(rig.Urls.For(capped).WritesBillingUrl);
        Assert.True(rig.Urls.For(prebid).WritesBillingUrl);
        Assert.True(rig.Urls.WritesBillingUrl);

        var video = TestCampaigns.Video("v-15", 15, "video/mp4");
        var campaign = TestCampaigns.Campaign("cmp-v", [video]);
        Assert.False(rig.Urls.For(capped).CanCarryBid(campaign, video));
        Assert.True(rig.Urls.For(prebid).CanCarryBid(campaign, video));
        Assert.True(rig.Urls.For(capped).CanCarryBid(NoticeRig.Acme, NoticeRig.Acme.Creatives[0]));
    }

    [Fact]
    public void ANurlBillingAtAnEncryptedPriceSpendsItsMicrosExactlyOnceAndAllocatesNothing()
    {
        var directory = Directory();
        Assert.True(directory.TryGet("capped", out var capped));
        var rig = new NoticeRig(windowCapacity: 1 << 16, exchanges: directory);
        var urls = rig.Urls.For(capped);
        var output = new ArrayBufferWriter<byte>(4096);
        var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        // Each bid's nurl query as the exchange sends it, made before counting: a price of odd micros each.
        var queries = new char[Rounds + 100][];
        long expectedNanos = 0;
        for (var i = 0; i < queries.Length; i++)
        {
            var bid = rig.Bid(price: 2.0);
            bid.Notices = urls;
            output.ResetWrittenCount();
            writer.Reset(output);
            urls.WriteWinUrl(writer, rig.Request, bid);
            writer.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);
            writer.Flush();
            var url = JsonSerializer.Deserialize<string>(output.WrittenSpan)!;
            var micros = 1_000_001L + (i * 7);
            expectedNanos += i < Rounds ? micros : 0;
            queries[i] = NoticeRig.Fill(url, price: Encrypt(micros, i)).ToCharArray();
        }

        for (var i = Rounds; i < queries.Length; i++)
        {
            Assert.Equal(NoticeOutcome.Recorded, rig.Notices.Handle(NoticeKind.Win, queries[i]).Outcome);
        }

        var spentBefore = rig.SpentNanos;
        var taken = 0;
        var replayed = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            taken += rig.Notices.Handle(NoticeKind.Win, queries[i]).Outcome == NoticeOutcome.Recorded ? 1 : 0;
            replayed += rig.Notices.Handle(NoticeKind.Win, queries[i]).Outcome == NoticeOutcome.Replayed ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((Rounds, Rounds), (taken, replayed));
        Assert.True(allocated == 0, $"{allocated} bytes over {Rounds} billing wins and their replays (budget exactly 0)");
        Assert.Equal(expectedNanos, rig.SpentNanos - spentBefore);
        Assert.Equal(Rounds + 100, rig.Counts.Get(NoticeRig.Acme.Id, NoticeRig.Bucket).Impressions);
    }

    [Fact]
    public void ABillingWinTokenIsNotTakenAtTheBillingPath()
    {
        var directory = Directory();
        Assert.True(directory.TryGet("capped", out var capped));
        var rig = new NoticeRig(exchanges: directory);
        var bid = rig.Bid(price: 2.0);
        bid.Notices = rig.Urls.For(capped);
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            rig.Urls.For(capped).WriteWinUrl(writer, rig.Request, bid);
            writer.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);
        }

        var query = NoticeRig.Fill(JsonSerializer.Deserialize<string>(output.WrittenSpan)!, price: Encrypt(1_500_000, 1));
        Assert.Equal(NoticeOutcome.BadToken, rig.Notices.Handle(NoticeKind.Impression, query).Outcome);
        Assert.Equal(0, rig.SpentNanos);
        Assert.Equal(NoticeOutcome.Recorded, rig.Notices.Handle(NoticeKind.Win, query).Outcome);
        Assert.Equal(1_500_000, rig.SpentNanos);
    }

    [Fact]
    public void ATokenNamingAnExchangeWithoutAProfileHereIsRefused()
    {
        var directory = Directory();
        Assert.True(directory.TryGet("prebid", out var prebid));
        var writing = new NoticeRig(key: NoticeRig.Key(9), exchanges: directory);
        var reading = new NoticeRig(key: NoticeRig.Key(9));
        var bid = reading.Bid(price: 2.0);
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writing.Urls.For(prebid).WriteBillingUrl(writer, writing.Request, bid);
            writer.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);
        }

        var query = NoticeRig.Fill(JsonSerializer.Deserialize<string>(output.WrittenSpan)!);
        Assert.Equal(NoticeOutcome.UnknownExchange, reading.Notices.Handle(NoticeKind.Impression, query).Outcome);
        Assert.Equal(0, reading.SpentNanos);
    }
}
