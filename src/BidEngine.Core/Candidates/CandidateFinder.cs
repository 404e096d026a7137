using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Candidates;

/// <summary>
/// Lists which campaign creatives may bid on each imp: the slot's kind and size, the floor's
/// currency, private deals, the request's block lists and the campaign's targeting.
/// </summary>
public static class CandidateFinder
{
    /// <summary>Appends up to <paramref name="maxCandidates"/> candidates, grouped by imp in request order.</summary>
    public static void Find(BidRequest request, CampaignSnapshot snapshot, List<Candidate> into, int maxCandidates)
    {
        var imps = request.Imps;
        for (var i = 0; i < imps.Count && into.Count < maxCandidates; i++)
        {
            FindForImp(request, i, snapshot, into, maxCandidates);
        }
    }

    private static void FindForImp(BidRequest request, int impIndex, CampaignSnapshot snapshot, List<Candidate> into, int max)
    {
        var imp = request.Imps[impIndex];

        // Only open-auction bids: a private auction is for deals this bidder has none of.
        if (imp.Pmp.Present && imp.Pmp.PrivateAuction)
        {
            return;
        }

        // OpenRTB's default floor currency is USD; a floor in a currency without a rate cannot be honoured.
        var currencies = snapshot.Currencies;
        var floorCurrency = imp.BidFloorCur.HasValue ? currencies.IndexOf(request[imp.BidFloorCur]) : 0;
        if (floorCurrency < 0)
        {
            return;
        }

        var floorUsd = currencies.ToUsd(imp.BidFloor, floorCurrency);
        if (imp.Banner.Present)
        {
            var banner = imp.Banner;
            if (banner.Formats.Count == 0)
            {
                AddAll(request, impIndex, floorUsd, snapshot.BannersOfSize(banner.W, banner.H), into, max);
            }
            else
            {
                foreach (var format in banner.Formats)
                {
                    AddAll(request, impIndex, floorUsd, snapshot.BannersOfSize(format.W, format.H), into, max);
                }
            }
        }

        if (imp.Video.Present)
        {
            var video = imp.Video;
            foreach (var pair in snapshot.OfKind(CreativeKind.Video))
            {
                if (MimeAllowed(request, video.Mimes, pair.Creative) && DurationFits(pair.Creative, video.MinDuration, video.MaxDuration))
                {
                    Add(request, impIndex, floorUsd, pair, into, max);
                }
            }
        }

        if (imp.Audio.Present)
        {
            var audio = imp.Audio;
            foreach (var pair in snapshot.OfKind(CreativeKind.Audio))
            {
                if (MimeAllowed(request, audio.Mimes, pair.Creative) && DurationFits(pair.Creative, audio.MinDuration, audio.MaxDuration))
                {
                    Add(request, impIndex, floorUsd, pair, into, max);
                }
            }
        }

        if (imp.Native.Present)
        {
            AddAll(request, impIndex, floorUsd, snapshot.OfKind(CreativeKind.Native), into, max);
        }
    }

    private static void AddAll(BidRequest request, int impIndex, double floorUsd, ReadOnlySpan<CampaignCreative> pairs, List<Candidate> into, int max)
    {
        foreach (var pair in pairs)
        {
            Add(request, impIndex, floorUsd, pair, into, max);
        }
    }

    private static void Add(BidRequest request, int impIndex, double floorUsd, CampaignCreative pair, List<Candidate> into, int max)
    {
        if (into.Count < max
            && pair.Campaign.MaxBidCpm >= floorUsd
            && BlockLists.Allows(request, pair.Campaign)
            && TargetingMatcher.Matches(request, pair.Campaign.Targeting))
        {
            into.Add(new Candidate(impIndex, pair.Campaign, pair.Creative, floorUsd));
        }
    }

    /// <summary>No mimes listed means the exchange takes any; otherwise one of the creative's must be listed.</summary>
    private static bool MimeAllowed(BidRequest request, List<OpenRtb.Text.Utf8Slice> mimes, Creative creative)
    {
        if (mimes.Count == 0)
        {
            return true;
        }

        foreach (var mime in mimes)
        {
            foreach (var ours in creative.MimesUtf8)
            {
                if (Ascii.EqualsIgnoreCase(request[mime], ours))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool DurationFits(Creative creative, int min, int max) =>
        (min <= 0 || creative.DurationSeconds >= min) && (max <= 0 || creative.DurationSeconds <= max);
}
