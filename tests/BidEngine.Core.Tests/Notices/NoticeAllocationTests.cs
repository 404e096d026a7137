using System.Buffers;
using System.Text;
using System.Text.Json;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Notices;
using BidEngine.Core.Pricing;
using BidEngine.OpenRtb.Response;

namespace BidEngine.Core.Tests.Notices;

/// <summary>
/// Exchanges fire notices from their servers, many at once: verifying a token and applying it (ledger,
/// frequency cap, priors, replay window, shading) allocates nothing in steady state, nor does
/// writing the four signed URLs of a bid.
/// </summary>
public sealed class NoticeAllocationTests
{
    private const int Rounds = 1000;

    [Fact]
    public void VerifyingAndApplyingWinBillingClickAndLossNoticesAllocatesNothing()
    {
        var rig = new NoticeRig(windowCapacity: 1 << 16, shading: new CountingShading());
        var output = new ArrayBufferWriter<byte>(4096);
        var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var query = new char[4096];
        var taken = 0;

        // Per round: one bid won, billed and clicked, another lost; first price, so the shading hears both.
        var won = new ResponseBid[Rounds + 100];
        var lost = new ResponseBid[Rounds + 100];
        for (var i = 0; i < won.Length; i++)
        {
            won[i] = rig.Bid(price: 2.0, firstPrice: true, value: 2.5, user: (ulong)i + 1);
            lost[i] = rig.Bid(price: 2.0, firstPrice: true, value: 2.5);
        }

        int Send(NoticeKind kind, ResponseBid bid, string filled)
        {
            output.ResetWrittenCount();
            writer.Reset(output);
            switch (kind)
            {
                case NoticeKind.Win: rig.Urls.WriteWinUrl(writer, rig.Request, bid); break;
                case NoticeKind.Impression: rig.Urls.WriteBillingUrl(writer, rig.Request, bid); break;
                case NoticeKind.Loss: rig.Urls.WriteLossUrl(writer, rig.Request, bid); break;
                default: rig.Urls.WriteClickUrl(writer, rig.Request, bid); break;
            }

            writer.WriteStringValueSegment(ReadOnlySpan<byte>.Empty, isFinalSegment: true);
            writer.Flush();

            // The token from the written URL, and the query an exchange would send back with it.
            var url = output.WrittenSpan[1..^1];
            var start = url.IndexOf("?t="u8) + 3;
            var token = url[start..];
            var end = token.IndexOf((byte)'&');
            token = end < 0 ? token : token[..end];
            var length = Encoding.ASCII.GetChars("t="u8, query);
            length += Encoding.ASCII.GetChars(token, query.AsSpan(length));
            filled.CopyTo(query.AsSpan(length));
            length += filled.Length;
            return rig.Notices.Handle(kind, query.AsSpan(0, length)).Outcome == NoticeOutcome.Recorded ? 1 : 0;
        }

        void Round(int i)
        {
            taken += Send(NoticeKind.Win, won[i], "&p=1.5&cur=USD&mtw=1.2");
            taken += Send(NoticeKind.Impression, won[i], "&p=1.5&cur=USD");
            taken += Send(NoticeKind.Click, won[i], "");
            taken += Send(NoticeKind.Loss, lost[i], "&loss=102&mtw=2.4");
        }

        for (var i = 0; i < 100; i++)
        {
            Round(Rounds + i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            Round(i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(4 * (Rounds + 100), taken);
        Assert.True(allocated == 0, $"{allocated} bytes over {Rounds} rounds of 4 notices (budget exactly 0)");
        Assert.Equal(Rounds + 100, ((CountingShading)rig.Shading).Wins);
        Assert.Equal(Rounds + 100, ((CountingShading)rig.Shading).Losses);
        Assert.Equal(Rounds + 100, rig.Counts.Get(NoticeRig.Acme.Id, NoticeRig.Bucket).Clicks);
    }

    private sealed class CountingShading : IBidShading
    {
        public int Wins;
        public int Losses;

        public double FirstPriceFactor(Campaign campaign) => 0.85;

        public void ObserveWin(Campaign campaign, double bidCpm, double valueCpm, double? minToWinCpm) => Wins++;

        public void ObserveLoss(Campaign campaign, double bidCpm, double valueCpm, int lossReason, double? minToWinCpm) => Losses++;
    }
}
