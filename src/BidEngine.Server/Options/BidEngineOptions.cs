using BidEngine.Core.Deadlines;
using BidEngine.Core.Events;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.Core.Privacy;
using BidEngine.Model;

namespace BidEngine.Server.Options;

/// <summary>All settings, bound from the configuration section <c>BidEngine</c>. Each is documented in the README.</summary>
public sealed class BidEngineOptions
{
    public const string Section = "BidEngine";

    /// <summary>
    /// The folder of live settings (<c>bidengine.json</c>) and campaigns; <c>--config</c> for short.
    /// Empty: the repository's <c>config/</c> when run from source, else the one beside the binary.
    /// Set on the command line or in the environment (the settings file is inside it); resolved to a full path at start.
    /// </summary>
    public string ConfigFolder { get; set; } = "";

    /// <summary>The folder of model files and priors; <c>--models</c> for short. Empty: found like <see cref="ConfigFolder"/>.</summary>
    public string ModelsFolder { get; set; } = "";

    /// <summary>The campaign file; a relative path is taken from the config folder.</summary>
    public string CampaignsPath { get; set; } = "campaigns.json";

    /// <summary>Watch the campaign file and apply changes without a restart; a file that does not load is refused and logged.</summary>
    public bool ReloadCampaigns { get; set; } = true;

    /// <summary>
    /// Price from the CTR model (true) or from the prior table alone (false). Off is for running
    /// without model files, and as a baseline in load tests.
    /// </summary>
    public bool UseModel { get; set; } = true;

    /// <summary>The heuristic's prior CTR table (campaign × placement); relative paths are taken from the models folder.</summary>
    public string PriorsPath { get; set; } = "ctr.priors.json";

    public HttpOptions Http { get; set; } = new();

    /// <summary>The ONNX scorer; relative paths are taken from the models folder.</summary>
    public ModelOptions Model { get; set; } = new();

    public CurrencyOptions Currency { get; set; } = new();

    public DeadlineOptions Deadline { get; set; } = new();

    public PricingOptions Pricing { get; set; } = new();

    public PipelineOptions Pipeline { get; set; } = new();

    public WarmupOptions Warmup { get; set; } = new();

    public NoticeOptions Notices { get; set; } = new();

    public BudgetOptions Budgets { get; set; } = new();

    public StateOptions State { get; set; } = new();

    /// <summary>The bid log: every decision and outcome to rotating files, off unless a folder is set.</summary>
    public EventLogOptions EventLog { get; set; } = new();

    /// <summary>
    /// Exchanges with a profile of their own, by name: each is served at <c>/openrtb2/{name}/bid</c> with its
    /// own deadline, seat, currency, health and kill switch. <c>/openrtb2/bid</c> keeps the bidder-wide settings.
    /// </summary>
    public Dictionary<string, Core.Exchanges.ExchangeProfile> Exchanges { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How consent strings are read: our GVL vendor id.</summary>
    public PrivacyOptions Privacy { get; set; } = new();

    /// <summary>Invalid-traffic checks: device signals, data-centre addresses, known bots, request rates.</summary>
    public TrafficOptions Traffic { get; set; } = new();

    /// <summary>Supply-chain checks: the chain's policy, sellers.json, ads.txt and app-ads.txt.</summary>
    public SupplyOptions Supply { get; set; } = new();

    /// <summary>The listener for <c>/metrics</c>, the status page and admin endpoints.</summary>
    public ManagementOptions Management { get; set; } = new();

    /// <summary>The drain on SIGTERM and the bound on the whole way down.</summary>
    public ShutdownOptions Shutdown { get; set; } = new();

    /// <summary>Every setting on its own, then the files they name, then settings that clash with each other.</summary>
    public IEnumerable<string> Validate() => Sections().Concat(Files()).Concat(Clashes());

    private IEnumerable<string> Sections()
    {
        if (UseModel)
        {
            foreach (var error in Model.Validate())
            {
                yield return "BidEngine:" + error;
            }
        }

        foreach (var (name, profile) in Exchanges)
        {
            foreach (var error in profile.Validate(name))
            {
                yield return error;
            }
        }

        foreach (var error in Http.Validate().Concat(Currency.Validate()).Concat(Deadline.Validate()).Concat(Pricing.Validate()).Concat(Pipeline.Validate()).Concat(Warmup.Validate()).Concat(Notices.Validate()).Concat(Budgets.Validate()).Concat(State.Validate()).Concat(EventLog.Validate()).Concat(Privacy.Validate()).Concat(Traffic.Validate()).Concat(Supply.Validate()).Concat(Management.Validate()).Concat(Shutdown.Validate()))
        {
            yield return error;
        }
    }

    /// <summary>
    /// The files the bidder needs must be there at start: a missing priors file used to become an
    /// empty table without a word, and a missing campaign file an exception deep in the wiring.
    /// </summary>
    private IEnumerable<string> Files()
    {
        if (!Directory.Exists(ConfigFolder))
        {
            yield return $"BidEngine:ConfigFolder '{ConfigFolder}' is not a folder";
        }

        if (!Directory.Exists(ModelsFolder))
        {
            yield return $"BidEngine:ModelsFolder '{ModelsFolder}' is not a folder";
        }

        if (string.IsNullOrWhiteSpace(CampaignsPath))
        {
            yield return "BidEngine:CampaignsPath must name the campaign file";
        }
        else if (!File.Exists(CampaignsPath))
        {
            yield return $"BidEngine:CampaignsPath '{CampaignsPath}' does not exist (relative paths are taken from BidEngine:ConfigFolder '{ConfigFolder}')";
        }

        if (Traffic.KnownBots != Core.Traffic.TrafficMode.Off && !File.Exists(Traffic.KnownBotsPath))
        {
            yield return $"BidEngine:Traffic:KnownBotsPath '{Traffic.KnownBotsPath}' does not exist (relative paths are taken from BidEngine:ConfigFolder '{ConfigFolder}')";
        }

        if (Traffic.DataCentres != Core.Traffic.TrafficMode.Off && !File.Exists(Traffic.DataCentresPath))
        {
            yield return $"BidEngine:Traffic:DataCentresPath '{Traffic.DataCentresPath}' does not exist (relative paths are taken from BidEngine:ConfigFolder '{ConfigFolder}')";
        }

        if (string.IsNullOrWhiteSpace(PriorsPath) || !File.Exists(PriorsPath))
        {
            yield return $"BidEngine:PriorsPath '{PriorsPath}' does not exist (relative paths are taken from BidEngine:ModelsFolder '{ModelsFolder}'): the heuristic prices from it whenever the model does not run";
        }
    }

    /// <summary>Pairs of settings each valid alone that together fail at run time, or make one of them do nothing.</summary>
    private IEnumerable<string> Clashes()
    {
        if (Budgets.SweepSeconds > Budgets.ReservationTtlSeconds)
        {
            yield return $"BidEngine:Budgets:SweepSeconds ({Budgets.SweepSeconds}) is above BidEngine:Budgets:ReservationTtlSeconds ({Budgets.ReservationTtlSeconds}): "
                + "reservations would be held up to a whole sweep past their time";
        }

        // A bill is taken while its token lives; the ledger must still know its reservation then, or a
        // real bill would be counted without it (or, were the token shorter, refused as expired).
        if (Notices.TokenLifetimeSeconds > Budgets.ReservationTtlSeconds + Budgets.LateNoticeWindowSeconds)
        {
            yield return $"BidEngine:Notices:TokenLifetimeSeconds ({Notices.TokenLifetimeSeconds}) is above BidEngine:Budgets:ReservationTtlSeconds ({Budgets.ReservationTtlSeconds}) "
                + $"+ BidEngine:Budgets:LateNoticeWindowSeconds ({Budgets.LateNoticeWindowSeconds}): a bill for a reservation the ledger already forgot would be taken with nothing to check it against";
        }

        if (UseModel && Pipeline.MaxCandidates > Model.MaxBatchRows)
        {
            yield return $"BidEngine:Pipeline:MaxCandidates ({Pipeline.MaxCandidates}) is above BidEngine:Model:MaxBatchRows ({Model.MaxBatchRows}): "
                + "a request with more candidates than the largest batch could not be scored";
        }

        if (Deadline.DefaultTmaxMs > Deadline.MaxTmaxMs)
        {
            yield return $"BidEngine:Deadline:DefaultTmaxMs ({Deadline.DefaultTmaxMs}) is above BidEngine:Deadline:MaxTmaxMs ({Deadline.MaxTmaxMs}): "
                + "the default would always be cut to the maximum";
        }

        // The budget of a request without tmax; the deadline policy keeps the write reserve out of it.
        var budgetMicros = (Math.Min(Deadline.DefaultTmaxMs, Deadline.MaxTmaxMs) - (long)Deadline.NetworkReserveMs) * 1000;
        if (budgetMicros > 0 && Deadline.WriteReserveMicros >= budgetMicros)
        {
            yield return $"BidEngine:Deadline:WriteReserveMicros ({Deadline.WriteReserveMicros}) leaves nothing of the window BidEngine:Deadline:DefaultTmaxMs ({Deadline.DefaultTmaxMs}) "
                + $"less BidEngine:Deadline:NetworkReserveMs ({Deadline.NetworkReserveMs}): no request without tmax could ever be scored";
        }
    }
}
