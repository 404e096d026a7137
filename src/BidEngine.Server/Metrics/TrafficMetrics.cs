using BidEngine.Core.Traffic;
using BidEngine.Server.Hosting;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// The traffic step at <c>/metrics</c>, read from the filter's counters at each scrape:
/// <c>bidengine_traffic_refused_total{check,reason,mode}</c> (mode <c>on</c>: refused, no bid;
/// <c>report_only</c>: would have been refused, still bid), counted from the moment the server turns
/// ready like the answers; the sizes of the lists in use, <c>bidengine_traffic_list_entries{list}</c>;
/// and the reloads of their files, <c>bidengine_traffic_reloads_total{outcome}</c>.
/// </summary>
internal sealed class TrafficMetrics
{
    private static readonly (TrafficReason Reason, TrafficMode Mode)[] Series =
        [.. TrafficReasons.All.SelectMany(r => new[] { (r, TrafficMode.On), (r, TrafficMode.ReportOnly) })];

    private readonly TrafficFilter _filter;
    private readonly long[] _base = new long[Series.Length];

    public TrafficMetrics(CollectorRegistry registry, TrafficFilter filter, TrafficFilesReloader reloader)
    {
        _filter = filter;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var refused = factory.CreateCounter(
            "bidengine_traffic_refused_total",
            "Requests the traffic step refused (mode on: no bid, with the check's nbr) or would have refused (mode report_only: counted and logged, still bid), by check and reason. A request refused by one check is not seen by the later ones.",
            "check",
            "reason",
            "mode");
        var children = Series
            .Select(s => refused.WithLabels(
                LabelValues.Snake(TrafficReasons.CheckOf(s.Reason).ToString()),
                LabelValues.Snake(s.Reason.ToString()),
                s.Mode == TrafficMode.On ? "on" : "report_only"))
            .ToArray();
        var lists = factory.CreateGauge("bidengine_traffic_list_entries", "Entries of the lists the traffic step checks against, as loaded.", "list");
        var bots = lists.WithLabels("bot_patterns");
        var v4 = lists.WithLabels("data_centre_ipv4_ranges");
        var v6 = lists.WithLabels("data_centre_ipv6_ranges");
        var systems = lists.WithLabels("sellers_json_files");
        var sellers = lists.WithLabels("sellers");
        var sites = lists.WithLabels("ads_txt_files");
        var apps = lists.WithLabels("app_ads_txt_files");
        var reloads = factory.CreateCounter("bidengine_traffic_reloads_total", "Reloads of the traffic step's files after a change: loaded (swapped in) or refused (the lists in use stayed).", "outcome");
        var loaded = reloads.WithLabels("loaded");
        var refusedReloads = reloads.WithLabels("refused");
        registry.AddBeforeCollectCallback(() =>
        {
            for (var i = 0; i < Series.Length; i++)
            {
                children[i].IncTo(filter.Count(Series[i].Reason, Series[i].Mode) - Volatile.Read(ref _base[i]));
            }

            bots.Set(filter.Bots.Patterns);
            v4.Set(filter.DataCentres.V4Ranges);
            v6.Set(filter.DataCentres.V6Ranges);
            systems.Set(filter.Sellers.Systems);
            sellers.Set(filter.Sellers.Sellers);
            sites.Set(filter.AdsTxt.Sites);
            apps.Set(filter.AdsTxt.Apps);
            loaded.IncTo(reloader.Loaded);
            refusedReloads.IncTo(reloader.Refused);
        });
    }

    /// <summary>Counting starts at ready: what the warm-up counted is the baseline.</summary>
    public void StartRecording()
    {
        for (var i = 0; i < Series.Length; i++)
        {
            Volatile.Write(ref _base[i], _filter.Count(Series[i].Reason, Series[i].Mode));
        }
    }
}
