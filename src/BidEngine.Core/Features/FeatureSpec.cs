using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace BidEngine.Core.Features;

/// <summary>
/// The one definition of what the CTR model sees: the fields, their order, their seeds and the
/// hashed id space. Serving (<see cref="FeatureExtractor"/>) and training both end in
/// <see cref="Hash"/>. Any change to the fields, their order or the hashing is a new
/// <see cref="Version"/>, and models trained on another version must not be loaded.
/// </summary>
public static class FeatureSpec
{
    /// <summary>Written into every model's metadata; the scorer refuses a model of another version.</summary>
    public const string Version = "ctr-features-v1";

    /// <summary>Ids per row: one per field, in <see cref="Fields"/> order.</summary>
    public const int FeatureCount = 19;

    public const int MinHashBits = 18;
    public const int MaxHashBits = 22;
    public const int DefaultHashBits = 18;

    // Field indexes; the order is part of the version.
    public const int Site = 0;
    public const int Publisher = 1;
    public const int Tag = 2;
    public const int Format = 3;
    public const int Position = 4;
    public const int DeviceType = 5;
    public const int Os = 6;
    public const int Make = 7;
    public const int Country = 8;
    public const int Region = 9;
    public const int Hour = 10;
    public const int DayOfWeek = 11;
    public const int Campaign = 12;
    public const int Creative = 13;
    public const int SiteXFormat = 14;
    public const int CampaignXCountry = 15;
    public const int CampaignXDeviceType = 16;
    public const int DeviceTypeXPosition = 17;
    public const int CampaignXHour = 18;

    private static readonly string[] FieldNames =
    [
        "site", "publisher", "tag", "format", "pos", "devicetype", "os", "make", "country", "region",
        "hour", "dow", "campaign", "creative",
        "site*format", "campaign*country", "campaign*devicetype", "devicetype*pos", "campaign*hour",
    ];

    /// <summary>Field names in id order, for model cards and logs.</summary>
    public static IReadOnlyList<string> Fields => FieldNames;

    /// <summary>
    /// The seed of a field: distinct per field (and per version) so that equal values of two
    /// fields, say a site and an app bundle both "example.com", do not land on the same id.
    /// </summary>
    public static ulong Seed(int field) => FeatureHasher.Hash64(0x5EED_C7F1_0000_0001UL, field + 1) ^ VersionSalt;

    // Salts every seed with the version, so two versions' ids never line up by accident.
    private const ulong VersionSalt = 0x7631_6374_7266_6561UL; // "v1ctrfea"

    // The site field hashes apps and sites from different seeds: a bundle is not a domain.
    private const int AppSeedField = 1000;

    // Hour and day values when the user's time zone is unknown: UTC, marked apart.
    private const int UnknownTzMarker = 100;

    /// <summary>Checks that <paramref name="hashBits"/> is a supported id space.</summary>
    public static bool IsValidHashBits(int hashBits) => hashBits is >= MinHashBits and <= MaxHashBits;

    /// <summary>
    /// Step (b): hashes <paramref name="inputs"/> into <see cref="FeatureCount"/> ids in
    /// [0, 2^<paramref name="hashBits"/>). Allocates nothing; about 20 short FNV runs per row.
    /// </summary>
    public static void Hash(scoped in FeatureInputs inputs, Span<long> ids, int hashBits)
    {
        if (ids.Length < FeatureCount || !IsValidHashBits(hashBits))
        {
            ThrowBadArguments(ids.Length, hashBits);
        }

        var site = FeatureHasher.Hash64(Seed(inputs.IsApp ? AppSeedField : Site), inputs.SiteOrBundle, foldAsciiCase: true);
        var format = FeatureHasher.Hash64(Seed(Format), ((long)inputs.CreativeKind << 40) | ((long)(inputs.W & 0xFFFFF) << 20) | (long)(inputs.H & 0xFFFFF));
        var pos = FeatureHasher.Hash64(Seed(Position), inputs.Pos);
        var deviceType = FeatureHasher.Hash64(Seed(DeviceType), inputs.DeviceType);
        var country = FeatureHasher.Hash64(Seed(Country), inputs.Country, foldAsciiCase: true);
        var (localHour, localDay) = inputs.LocalTime();
        var tzMarker = inputs.HasUtcOffset ? 0 : UnknownTzMarker;
        var hour = FeatureHasher.Hash64(Seed(Hour), localHour + tzMarker);
        var campaign = FeatureHasher.Hash64(Seed(Campaign), inputs.CampaignId);

        ids[Site] = FeatureHasher.ToId(site, hashBits);
        ids[Publisher] = FeatureHasher.ToId(FeatureHasher.Hash64(Seed(Publisher), inputs.PublisherId), hashBits);
        ids[Tag] = FeatureHasher.ToId(FeatureHasher.Hash64(Seed(Tag), inputs.TagId), hashBits);
        ids[Format] = FeatureHasher.ToId(format, hashBits);
        ids[Position] = FeatureHasher.ToId(pos, hashBits);
        ids[DeviceType] = FeatureHasher.ToId(deviceType, hashBits);
        ids[Os] = FeatureHasher.ToId(FeatureHasher.Hash64(Seed(Os), inputs.Os, foldAsciiCase: true), hashBits);
        ids[Make] = FeatureHasher.ToId(FeatureHasher.Hash64(Seed(Make), inputs.Make, foldAsciiCase: true), hashBits);
        ids[Country] = FeatureHasher.ToId(country, hashBits);
        ids[Region] = FeatureHasher.ToId(FeatureHasher.Combine(Seed(Region), country, FeatureHasher.Hash64(Seed(Region), inputs.Region, foldAsciiCase: true)), hashBits);
        ids[Hour] = FeatureHasher.ToId(hour, hashBits);
        ids[DayOfWeek] = FeatureHasher.ToId(FeatureHasher.Hash64(Seed(DayOfWeek), localDay + tzMarker), hashBits);
        ids[Campaign] = FeatureHasher.ToId(campaign, hashBits);
        ids[Creative] = FeatureHasher.ToId(FeatureHasher.Hash64(Seed(Creative), inputs.CreativeId), hashBits);
        ids[SiteXFormat] = FeatureHasher.ToId(FeatureHasher.Combine(Seed(SiteXFormat), site, format), hashBits);
        ids[CampaignXCountry] = FeatureHasher.ToId(FeatureHasher.Combine(Seed(CampaignXCountry), campaign, country), hashBits);
        ids[CampaignXDeviceType] = FeatureHasher.ToId(FeatureHasher.Combine(Seed(CampaignXDeviceType), campaign, deviceType), hashBits);
        ids[DeviceTypeXPosition] = FeatureHasher.ToId(FeatureHasher.Combine(Seed(DeviceTypeXPosition), deviceType, pos), hashBits);
        ids[CampaignXHour] = FeatureHasher.ToId(FeatureHasher.Combine(Seed(CampaignXHour), campaign, hour), hashBits);
    }

    [DoesNotReturn]
    [StackTraceHidden]
    private static void ThrowBadArguments(int idsLength, int hashBits)
    {
        if (idsLength < FeatureCount)
        {
            throw new ArgumentException($"room for {FeatureCount} feature ids is needed, got {idsLength}", "ids");
        }

        throw new ArgumentOutOfRangeException(nameof(hashBits), hashBits, $"hash bits must be {MinHashBits}..{MaxHashBits}");
    }
}
