using BidEngine.Core.Campaigns;

namespace BidEngine.Server.Hosting;

/// <summary>Holds the current campaign snapshot; the request path reads it without locks.</summary>
internal sealed class CampaignStore(CampaignSnapshot initial)
{
    private volatile CampaignSnapshot _current = initial;

    public CampaignSnapshot Current => _current;

    public void Replace(CampaignSnapshot next) => _current = next;
}
