using System.Text;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Eligibility;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Candidates;

/// <summary>
/// Lists which campaign creatives may bid on each imp. Candidates come from the snapshot's
/// <see cref="CampaignIndex"/> (slot, country, device type, deal), never from a scan; the rest is
/// checked on the entries found: video and audio mimes and durations, floors, the request's block
/// lists, the targeting the index does not answer, deal terms, and last the campaign's eligibility
/// now (<see cref="CampaignGate"/>: flight, daypart, frequency cap, budget, pacing).
///
/// Fairness: when more entries qualify than <c>maxCandidates</c>, the walk starts at an entry picked
/// from the caller's rotation number (times a large odd number, modulo the entry count) and wraps
/// around, so every qualifying entry gets its turn over successive requests; none is shut out for
/// its place in the file.
/// </summary>
public static class CandidateFinder
{
    /// <summary>Entries taken from the index per lookup; the walk goes on from the last one while more may qualify.</summary>
    private const int Chunk = 64;

    /// <summary>Appends up to <paramref name="maxCandidates"/> candidates, grouped by imp in request order.</summary>
    /// <param name="gate">Eligibility now; null checks targeting only (tools and tests).</param>
    /// <param name="rotation">A number that changes from request to request (a counter): where the walk over the index starts.</param>
    public static void Find(BidRequest request, CampaignSnapshot snapshot, List<Candidate> into, int maxCandidates, CampaignGate? gate = null, int rotation = 0) =>
        Find(request, snapshot, into, maxCandidates, gate, gate?.Begin(request) ?? default, rotation);

    /// <summary>As above, with the request's time and user key already read (<see cref="CampaignGate.Begin"/>).</summary>
    public static void Find(BidRequest request, CampaignSnapshot snapshot, List<Candidate> into, int maxCandidates, CampaignGate? gate, in GateRequest gateRequest, int rotation)
    {
        var index = snapshot.Index;
        if (index.EntryCount == 0)
        {
            return;
        }

        Span<int> buffer = stackalloc int[Chunk];
        var scan = new Scan
        {
            Request = request,
            Snapshot = snapshot,
            Into = into,
            Max = maxCandidates,
            Gate = gate,
            GateRequest = gateRequest,
            Start = (int)((uint)rotation * 0x9E3779B1u % (uint)index.EntryCount),
            Buffer = buffer,
        };

        var imps = request.Imps;
        for (var i = 0; i < imps.Count && into.Count < maxCandidates; i++)
        {
            scan.Imp(i);
        }
    }

    /// <summary>One request's walk: what every lookup and check needs, on the stack.</summary>
    private ref struct Scan
    {
        public BidRequest Request;
        public CampaignSnapshot Snapshot;
        public List<Candidate> Into;
        public int Max;
        public CampaignGate? Gate;
        public GateRequest GateRequest;
        public int Start;
        public Span<int> Buffer;

        public void Imp(int impIndex)
        {
            var request = Request;
            var imp = request.Imps[impIndex];

            // OpenRTB's default floor currency is USD; a floor in a currency without a rate cannot be honoured.
            var currencies = Snapshot.Currencies;
            var floorCurrency = imp.BidFloorCur.HasValue ? currencies.IndexOf(request[imp.BidFloorCur]) : 0;
            if (floorCurrency < 0)
            {
                return;
            }

            var floorUsd = currencies.ToUsd(imp.BidFloor, floorCurrency);
            var country = CampaignIndex.CountryKey(request[request.Geo.Country]);
            var device = request.Device.DeviceType;
            var pmp = imp.Pmp;

            // A private auction is only for the deals it offers; an open one is open to every campaign
            // without deals, and also to the campaigns of any deal it offers.
            if (!(pmp.Present && pmp.PrivateAuction))
            {
                Slots(impIndex, imp, country, device, floorUsd, deal: -1);
            }

            if (pmp.Present)
            {
                for (var d = 0; d < pmp.Deals.Count && Into.Count < Max; d++)
                {
                    var offered = pmp.Deals[d];
                    var dealCurrency = offered.BidFloorCur.HasValue ? currencies.IndexOf(request[offered.BidFloorCur]) : 0;
                    if (dealCurrency < 0)
                    {
                        continue;
                    }

                    // The deal's own floor, when it names one, replaces the imp's.
                    var dealFloor = offered.BidFloor > 0 ? currencies.ToUsd(offered.BidFloor, dealCurrency) : floorUsd;
                    Slots(impIndex, imp, country, device, dealFloor, d);
                }
            }
        }

        private void Slots(int impIndex, Imp imp, int country, int device, double floorUsd, int deal)
        {
            if (imp.Banner.Present)
            {
                var banner = imp.Banner;
                if (banner.Formats.Count == 0)
                {
                    Walk(impIndex, imp, IndexQuery.Banner(banner.W, banner.H, country, device), CreativeKind.Banner, floorUsd, deal);
                }
                else
                {
                    foreach (var format in banner.Formats)
                    {
                        Walk(impIndex, imp, IndexQuery.Banner(format.W, format.H, country, device), CreativeKind.Banner, floorUsd, deal);
                    }
                }
            }

            if (imp.Video.Present)
            {
                Walk(impIndex, imp, IndexQuery.OfKind(CreativeKind.Video, country, device), CreativeKind.Video, floorUsd, deal);
            }

            if (imp.Audio.Present)
            {
                Walk(impIndex, imp, IndexQuery.OfKind(CreativeKind.Audio, country, device), CreativeKind.Audio, floorUsd, deal);
            }

            if (imp.Native.Present)
            {
                Walk(impIndex, imp, IndexQuery.OfKind(CreativeKind.Native, country, device), CreativeKind.Native, floorUsd, deal);
            }
        }

        /// <summary>
        /// Every index entry for the query, from <see cref="Start"/> round to just before it, a chunk at a
        /// time, until the candidate list is full. Entries are numbered by their distance from the start,
        /// so a lookup that wraps back into ground already covered ends the walk.
        /// </summary>
        private void Walk(int impIndex, Imp imp, in IndexQuery query, CreativeKind kind, double floorUsd, int deal)
        {
            var index = Snapshot.Index;
            var count = index.EntryCount;
            var dealId = deal < 0 ? default : Request[imp.Pmp.Deals[deal].Id];
            var covered = 0;
            while (Into.Count < Max && covered < count)
            {
                var from = (Start + covered) % count;
                var found = deal < 0 ? index.FindOpen(query, Buffer, from) : index.FindDeal(query, dealId, Buffer, from);
                for (var k = 0; k < found; k++)
                {
                    var entry = Buffer[k];
                    var distance = (entry - Start + count) % count;
                    if (distance < covered)
                    {
                        return;
                    }

                    covered = distance + 1;
                    Consider(impIndex, imp, entry, kind, floorUsd, deal);
                    if (Into.Count >= Max)
                    {
                        return;
                    }
                }

                if (found < Buffer.Length)
                {
                    return;
                }
            }
        }

        private void Consider(int impIndex, Imp imp, int entry, CreativeKind kind, double floorUsd, int deal)
        {
            var (campaign, creative) = Snapshot.Index.Entry(entry);
            var request = Request;
            if (kind == CreativeKind.Video
                && !(MimeAllowed(request, imp.Video.Mimes, creative) && DurationFits(creative, imp.Video.MinDuration, imp.Video.MaxDuration)))
            {
                return;
            }

            if (kind == CreativeKind.Audio
                && !(MimeAllowed(request, imp.Audio.Mimes, creative) && DurationFits(creative, imp.Audio.MinDuration, imp.Audio.MaxDuration)))
            {
                return;
            }

            if (deal >= 0 && !DealAllows(campaign, imp.Pmp.Deals[deal], ref floorUsd))
            {
                return;
            }

            if (campaign.MaxBidCpm >= floorUsd
                && BlockLists.Allows(request, campaign)
                && TargetingMatcher.Matches(request, imp, campaign.Compiled)
                && (campaign.Rules.SupplyChain is not { } chain || SupplyChainAllows(chain))
                && (Gate is null || Gate.Allows(campaign, GateRequest)))
            {
                Into.Add(new Candidate(impIndex, campaign, creative, floorUsd, deal));
            }
        }

        /// <summary>The campaign's own supply-chain policy; a refusal is counted as a skip.</summary>
        private readonly bool SupplyChainAllows(Supply.SupplyChainPolicy chain)
        {
            if (chain.Judge(Request) == Traffic.TrafficReason.None)
            {
                return true;
            }

            Gate?.SkippedForSupplyChain();
            return false;
        }

        /// <summary>
        /// The deal's terms: the request's <c>wseat</c> and <c>wadomain</c> for it, the seats the campaign
        /// arranged it for, and the campaign's agreed floor, which raises <paramref name="floorUsd"/>.
        /// </summary>
        private readonly bool DealAllows(Campaign campaign, Deal offered, ref double floorUsd)
        {
            var request = Request;
            if (offered.Wseat.Count > 0 && !Listed(request, offered.Wseat, campaign.SeatUtf8))
            {
                return false;
            }

            if (offered.Wadomain.Count > 0 && !AnyListed(request, offered.Wadomain, campaign.AdomainUtf8))
            {
                return false;
            }

            var compiled = campaign.Compiled;
            var id = request[offered.Id];
            for (var k = 0; k < compiled.DealIds.Length; k++)
            {
                if (compiled.DealIds[k].AsSpan().SequenceEqual(id))
                {
                    if (!compiled.DealSeatAllowed[k])
                    {
                        return false;
                    }

                    if (compiled.Deals[k].BidFloor is { } agreed)
                    {
                        floorUsd = Math.Max(floorUsd, Snapshot.Currencies.ToUsd((double)agreed, campaign.CurrencyIndex));
                    }

                    return true;
                }
            }

            return false;
        }

        private static bool Listed(BidRequest request, List<OpenRtb.Text.Utf8Slice> list, ReadOnlySpan<byte> value)
        {
            foreach (var item in list)
            {
                if (Ascii.EqualsIgnoreCase(request[item], value))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool AnyListed(BidRequest request, List<OpenRtb.Text.Utf8Slice> list, byte[][] values)
        {
            foreach (var value in values)
            {
                if (Listed(request, list, value))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>No mimes listed means the exchange takes any; otherwise one of the creative's must be listed.</summary>
    internal static bool MimeAllowed(BidRequest request, List<OpenRtb.Text.Utf8Slice> mimes, Creative creative)
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

    internal static bool DurationFits(Creative creative, int min, int max) =>
        (min <= 0 || creative.DurationSeconds >= min) && (max <= 0 || creative.DurationSeconds <= max);
}
