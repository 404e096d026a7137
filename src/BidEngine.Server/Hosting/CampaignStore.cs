using BidEngine.Core.Campaigns;
using BidEngine.Core.Eligibility;

namespace BidEngine.Server.Hosting;

/// <summary>
/// Holds the current campaign snapshot; the request path reads it without locks. A snapshot's
/// campaigns get their budget limits in the ledger before it is swapped in, so no request sees a
/// campaign the ledger does not know.
/// </summary>
internal sealed class CampaignStore
{
    private readonly CampaignGate _gate;
    private volatile CampaignSnapshot _current;

    public CampaignStore(CampaignSnapshot initial, CampaignGate gate)
    {
        _gate = gate;
        gate.Register(initial);
        _current = initial;
    }

    public CampaignSnapshot Current => _current;

    public void Replace(CampaignSnapshot next)
    {
        _gate.Register(next);
        _current = next;
    }
}
