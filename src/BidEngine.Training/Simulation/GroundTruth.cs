using BidEngine.Core.Campaigns;

namespace BidEngine.Training.Simulation;

/// <summary>
/// The hidden click probability of a simulated impression: a logit that adds main effects
/// (site/app quality with a publisher part, format, position, campaign, creative, country,
/// region, OS, make, hour, weekend) and interactions (site × format through latent vectors,
/// device × position, campaign × country, campaign × device, campaign × site category,
/// campaign × hour), clamped to 0.05%..5% (mean 1%, set by the simulator's intercept). A factorization machine over the hashed fields can
/// represent most of it; what it cannot see (true local hour when the time zone is not sent,
/// site category beyond the site itself) keeps the ceiling below 1.
/// </summary>
internal static class GroundTruth
{
    public const double MinCtr = 0.0005;
    public const double MaxCtr = 0.05;

    public static double Logit(SimWorld world, in SimImpression imp)
    {
        var c = imp.CampaignIndex;
        var dc = SimWorld.DeviceClassOf(imp.Device.DeviceType);
        var format = FormatKey(imp.Creative);
        var latent = world.FormatLatent[format];
        var siteFormat = 0.0;
        for (var i = 0; i < SimWorld.LatentDim; i++)
        {
            siteFormat += imp.Property.Latent[i] * latent[i];
        }

        var hour = imp.TrueLocalHour;
        var z = imp.Property.Quality
            + world.FormatEffect[format]
            + world.PosEffect[imp.Pos]
            + world.DeviceClassPos[dc, imp.Pos]
            + siteFormat
            + world.CampaignBase[c]
            + world.CreativeEffect[imp.Creative.Id]
            + world.CampaignCountry[c, imp.Country]
            + world.CampaignDeviceClass[c, dc]
            + world.CampaignCategory[c, imp.Property.Category]
            + (0.3 * Math.Cos(2 * Math.PI * (hour - 20) / 24.0))
            + (0.15 * Math.Cos(2 * Math.PI * (hour - world.CampaignHourPhase[c]) / 24.0))
            + (imp.TrueLocalDay is 0 or 6 ? 0.1 : 0.0)
            + world.OsEffect.GetValueOrDefault(imp.Device.Os)
            + world.MakeEffect.GetValueOrDefault(imp.Device.Make ?? "")
            + world.CountryEffect[imp.Country]
            + world.RegionEffect[imp.Country][imp.Region];
        return z;
    }

    public static double Probability(double logitWithIntercept) =>
        Math.Clamp(1.0 / (1.0 + Math.Exp(-logitWithIntercept)), MinCtr, MaxCtr);

    public static (CreativeKind, int, int) FormatKey(Creative creative) => (creative.Kind, creative.W, creative.H);
}
