using BidEngine.Core.Campaigns;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Training.Simulation;

/// <summary>An ad slot of a simulated site or app: what the imp offers.</summary>
internal sealed record SimPlacement(string TagId, CreativeKind Kind, Format[] Sizes, int Pos, bool ForMobile, bool ForTv);
