using BidEngine.Core.Features;
using BidEngine.Core.Pipeline;
using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>
/// Writes event records straight from spans, in exactly the bytes <see cref="EventSerializer"/>
/// writes for the record objects (union tag, then the keyed array; tested byte for byte), so the
/// request path logs without building a <see cref="BidEvent"/> and its arrays: 0 B per record.
/// </summary>
internal static class EventRecordEncoder
{
    private const int UnionBid = 0;
    private const int UnionWin = 1;
    private const int UnionImpression = 2;
    private const int UnionClick = 3;
    private const int UnionNoBid = 4;
    private const int UnionLoss = 5;

    private static readonly byte[] SpecVersion = System.Text.Encoding.UTF8.GetBytes(FeatureSpec.Version);

    public static void WriteBid(
        ref MessagePackWriter w,
        ReadOnlySpan<byte> requestId,
        ReadOnlySpan<byte> impId,
        long timestampUnixMs,
        double priceCpm,
        float pCtr,
        ScoringPath path,
        scoped in FeatureInputs inputs,
        long decisionMicros,
        Privacy.PrivacyReason privacy = Privacy.PrivacyReason.None,
        Traffic.TrafficReason traffic = Traffic.TrafficReason.None)
    {
        w.WriteArrayHeader(2);
        w.Write(UnionBid);
        w.WriteArrayHeader(13);
        w.WriteString(requestId);
        w.WriteString(impId);
        w.Write(timestampUnixMs);
        w.WriteString(inputs.CampaignId);
        w.WriteString(inputs.CreativeId);
        w.Write(priceCpm);
        w.Write(pCtr);
        w.Write((int)path);
        WriteInputs(ref w, inputs);
        w.WriteString(SpecVersion);
        w.Write(decisionMicros);
        w.Write((byte)privacy);
        w.Write((byte)traffic);
        w.Flush();
    }

    public static void WriteNoBid(
        ref MessagePackWriter w,
        ReadOnlySpan<byte> requestId,
        long timestampUnixMs,
        ScoringPath path,
        long decisionMicros,
        Privacy.PrivacyReason privacy = Privacy.PrivacyReason.None,
        Traffic.TrafficReason traffic = Traffic.TrafficReason.None)
    {
        w.WriteArrayHeader(2);
        w.Write(UnionNoBid);
        w.WriteArrayHeader(9);
        w.WriteString(requestId);
        w.WriteString([]);
        w.Write(timestampUnixMs);
        w.WriteString([]);
        w.WriteString([]);
        w.Write((int)path);
        w.Write(decisionMicros);
        w.Write((byte)privacy);
        w.Write((byte)traffic);
        w.Flush();
    }

    /// <summary>A win (with the clearing price), a bill (impression, with the price paid) or a click (no price).</summary>
    public static void WriteOutcome(ref MessagePackWriter w, EventRecordType type, scoped in OutcomeKeys keys, long timestampUnixMs, double priceCpm)
    {
        w.WriteArrayHeader(2);
        w.Write(type switch
        {
            EventRecordType.Win => UnionWin,
            EventRecordType.Bill => UnionImpression,
            _ => UnionClick,
        });
        w.WriteArrayHeader(type == EventRecordType.Click ? 5 : 6);
        WriteCommon(ref w, keys, timestampUnixMs);
        if (type != EventRecordType.Click)
        {
            w.Write(priceCpm);
        }

        w.Flush();
    }

    public static void WriteLoss(ref MessagePackWriter w, scoped in OutcomeKeys keys, long timestampUnixMs, int reason, double? minToWinCpm)
    {
        w.WriteArrayHeader(2);
        w.Write(UnionLoss);
        w.WriteArrayHeader(7);
        WriteCommon(ref w, keys, timestampUnixMs);
        w.Write(reason);
        if (minToWinCpm is { } price)
        {
            w.Write(price);
        }
        else
        {
            w.WriteNil();
        }

        w.Flush();
    }

    private static void WriteCommon(ref MessagePackWriter w, scoped in OutcomeKeys keys, long timestampUnixMs)
    {
        WriteText(ref w, keys.RequestId);
        WriteText(ref w, keys.ImpId);
        w.Write(timestampUnixMs);
        WriteText(ref w, keys.CampaignId);
        WriteText(ref w, keys.CreativeId);
    }

    /// <summary>MessagePack 2.5's <c>Write(ReadOnlySpan&lt;char&gt;)</c> throws on an empty span (it pins a null pointer): "" goes as empty UTF-8.</summary>
    private static void WriteText(ref MessagePackWriter w, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            w.WriteString(ReadOnlySpan<byte>.Empty);
        }
        else
        {
            w.Write(text);
        }
    }

    /// <summary>The 17 keys of <see cref="FeatureInputsRecord"/>; text as bin, as <see cref="FeatureInputsRecord.From"/> stores it.</summary>
    private static void WriteInputs(ref MessagePackWriter w, scoped in FeatureInputs inputs)
    {
        w.WriteArrayHeader(17);
        w.Write(inputs.IsApp);
        w.Write(inputs.SiteOrBundle);
        w.Write(inputs.PublisherId);
        w.Write(inputs.TagId);
        w.Write(inputs.CreativeKind);
        w.Write(inputs.W);
        w.Write(inputs.H);
        w.Write(inputs.Pos);
        w.Write(inputs.DeviceType);
        w.Write(inputs.Os);
        w.Write(inputs.Make);
        w.Write(inputs.Country);
        w.Write(inputs.Region);
        w.Write(inputs.UtcNow.Ticks);
        if (inputs.HasUtcOffset)
        {
            w.Write(inputs.UtcOffsetMinutes);
        }
        else
        {
            w.WriteNil();
        }

        w.Write(inputs.CampaignId);
        w.Write(inputs.CreativeId);
    }
}
