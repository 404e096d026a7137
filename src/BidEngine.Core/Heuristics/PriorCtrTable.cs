using System.Text.Json;
using System.Text.Json.Serialization;
using BidEngine.Core.Campaigns;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Heuristics;

/// <summary>
/// Prior click-through rates for the deadline fallback, when there is no time to run the model:
/// per campaign × <see cref="PlacementBucket"/>, then per campaign, then the campaign's own
/// <see cref="Campaign.CtrPrior"/>. Computed from training data with smoothing by the training
/// tool (<c>models/ctr.priors.json</c>). Immutable; lookups allocate nothing.
/// </summary>
public sealed class PriorCtrTable
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Dictionary<(string CampaignId, long Bucket), double> _buckets;
    private readonly Dictionary<string, double> _campaigns;

    public PriorCtrTable(PriorCtrFile file)
    {
        File = file;
        _buckets = [];
        _campaigns = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var campaign in file.Campaigns)
        {
            if (IsProbability(campaign.Ctr))
            {
                _campaigns[campaign.Id] = campaign.Ctr;
            }

            foreach (var bucket in campaign.Buckets)
            {
                if (IsProbability(bucket.Ctr))
                {
                    _buckets[(campaign.Id, PlacementBucket.Key(bucket.Kind, bucket.W, bucket.H, bucket.DeviceClass))] = bucket.Ctr;
                }
            }
        }
    }

    /// <summary>A table with no entries: every lookup answers the campaign's own prior.</summary>
    public static PriorCtrTable Empty { get; } = new(new PriorCtrFile());

    /// <summary>What the table was made from.</summary>
    public PriorCtrFile File { get; }

    public int BucketCount => _buckets.Count;

    /// <summary>The prior CTR of showing <paramref name="creative"/> of <paramref name="campaign"/> on this request. 0 B per call.</summary>
    public double Lookup(Campaign campaign, Creative creative, BidRequest request, Imp imp)
    {
        _ = imp; // The bucket is the creative's kind and size; the imp only says it fits.
        return Lookup(campaign, creative, request.Device.DeviceType);
    }

    public double Lookup(Campaign campaign, Creative creative, int deviceType)
    {
        if (_buckets.TryGetValue((campaign.Id, PlacementBucket.Key(creative, deviceType)), out var ctr)
            || _campaigns.TryGetValue(campaign.Id, out ctr))
        {
            return ctr;
        }

        return campaign.CtrPrior;
    }

    /// <summary>
    /// The prior for a campaign id and a <see cref="PlacementBucket.Key(int, int, int, int)"/>, or
    /// <paramref name="fallback"/> when the table knows neither; for tools that have ids, not objects.
    /// </summary>
    public double Lookup(string campaignId, long bucketKey, double fallback)
    {
        if (_buckets.TryGetValue((campaignId, bucketKey), out var ctr) || _campaigns.TryGetValue(campaignId, out ctr))
        {
            return ctr;
        }

        return fallback;
    }

    public static PriorCtrTable LoadFile(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        var file = JsonSerializer.Deserialize<PriorCtrFile>(stream, JsonOptions)
            ?? throw new InvalidDataException($"{path}: empty prior table");
        return new PriorCtrTable(file);
    }

    public static void SaveFile(PriorCtrFile file, string path)
    {
        using var stream = System.IO.File.Create(path);
        JsonSerializer.Serialize(stream, file, JsonOptions);
    }

    private static bool IsProbability(double p) => p is > 0 and < 1;
}
