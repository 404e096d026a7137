using System.Text.Json;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;
using BidEngine.Core.Heuristics;
using BidEngine.Model;
using BidEngine.Server.Options;
using Microsoft.ML.OnnxRuntime;

namespace BidEngine.Server.Hosting;

/// <summary>
/// Loads the files the bidder cannot serve without, once, at start. A file that does not load, or
/// a model made for other features than this build computes, stops the start with a message that
/// names the setting; at run time it would have been an exception per request or a silent misprice.
/// </summary>
internal static class StartupLoads
{
    public static CampaignSnapshot Campaigns(BidEngineOptions options)
    {
        try
        {
            return CampaignReloader.Load(options);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            throw StartupRefusal.Because($"BidEngine:CampaignsPath '{options.CampaignsPath}' does not load: {e.Message}");
        }
    }

    public static PriorCtrTable Priors(BidEngineOptions options)
    {
        try
        {
            return PriorCtrTable.LoadFile(options.PriorsPath);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            throw StartupRefusal.Because($"BidEngine:PriorsPath '{options.PriorsPath}' does not load: {e.Message}");
        }
    }

    public static OnnxCtrScorer Scorer(ModelOptions options)
    {
        OnnxCtrScorer scorer;
        try
        {
            scorer = new OnnxCtrScorer(options);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OnnxRuntimeException)
        {
            throw StartupRefusal.Because($"BidEngine:Model:ModelPath '{options.ModelPath}' does not load: {e.Message}");
        }

        var mismatches = scorer.Card.FeatureSpecMismatches();
        if (mismatches.Count > 0)
        {
            scorer.Dispose();
            throw StartupRefusal.Because($"BidEngine:Model:ModelPath '{options.ModelPath}' was made for other features: {string.Join("; ", mismatches)}");
        }

        return scorer;
    }
}
