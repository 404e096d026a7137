using BidEngine.Core.Deadlines;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Scoring;
using BidEngine.Model;
using BidEngine.Server.Endpoints;
using BidEngine.Server.Metrics;
using Prometheus;
using BidEngine.Server.Options;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>Wires the libraries into the host: configuration, options, services, Kestrel limits and routes.</summary>
internal static class BidEngineHosting
{
    private const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>
    /// Contexts kept for reuse. Each holds about 10 KiB (text arena, lists, writer); 1024 covers
    /// the concurrency a 2-core bidder reaches long before its deadline logic sheds load.
    /// </summary>
    private const int PooledContexts = 1024;

    public static WebApplicationBuilder AddBidEngine(this WebApplicationBuilder builder)
    {
        // Shipped defaults first, so environment variables and the command line override them.
        var defaults = Path.Combine(ConfigFolder.Config, "bidengine.json");
        var source = new JsonConfigurationSource { Path = defaults, Optional = false };
        source.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, source);

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddOptions<BidEngineOptions>()
            .Bind(builder.Configuration.GetSection(BidEngineOptions.Section))
            .PostConfigure(o =>
            {
                // Model files ship beside the binary: relative paths are taken from there, not from the working directory.
                o.Model.ModelPath = ConfigFolder.Resolve(AppContext.BaseDirectory, o.Model.ModelPath);
                o.PriorsPath = ConfigFolder.Resolve(AppContext.BaseDirectory, o.PriorsPath);
                if (!string.IsNullOrWhiteSpace(o.Notices.SavePath))
                {
                    o.Notices.SavePath = ConfigFolder.Resolve(AppContext.BaseDirectory, o.Notices.SavePath);
                }
            })
            .Validate(o => !o.Validate().Any(), "invalid")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BidEngineOptions>, BidEngineOptionsValidator>();

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var http = context.Configuration.GetSection(BidEngineOptions.Section).Get<BidEngineOptions>()?.Http ?? new HttpOptions();
            KestrelLimits.Apply(kestrel.Limits, http);
        });

        builder.Services.AddSingleton<ReadinessState>();
        builder.Services.AddSingleton<QueueDelayProbe>();
        builder.Services.AddSingleton(sp => new AdmissionControl(sp.GetRequiredService<QueueDelayProbe>(), sp.GetRequiredService<DeadlinePolicy>()));
        builder.Services.AddSingleton(sp => new CampaignStore(CampaignReloader.Load(sp.GetRequiredService<IOptions<BidEngineOptions>>().Value)));
        builder.Services.AddHostedService<CampaignReloader>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value;
            return new PriorCtrSource(File.Exists(options.PriorsPath) ? PriorCtrTable.LoadFile(options.PriorsPath) : PriorCtrTable.Empty);
        });
        builder.Services.AddSingleton(sp => new DeadlinePolicy(
            sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Deadline,
            sp.GetRequiredService<PriorCtrSource>()));
        builder.Services.AddSingleton<OutcomeCounts>();
        builder.Services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<CampaignStore>();
            return new OutcomeNotices(() => store.Current, sp.GetRequiredService<OutcomeCounts>());
        });
        builder.Services.AddSingleton(sp =>
        {
            var notices = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Notices;
            var store = sp.GetRequiredService<CampaignStore>();
            var source = sp.GetRequiredService<PriorCtrSource>();
            var globalCtr = source.Current.File.GlobalCtr;

            // A campaign the shipped table does not know starts from its configured prior.
            return new PriorRefresher(
                source,
                sp.GetRequiredService<OutcomeCounts>(),
                notices.PriorStrengthImpressions,
                id => store.Current.TryGetCampaign(id, out var campaign) ? campaign.CtrPrior : globalCtr,
                notices.SavePath,
                TimeProvider.System);
        });
        builder.Services.AddHostedService<PriorRefreshService>();
        builder.Services.AddSingleton<NoticeEndpoints>();
        if (builder.Configuration.GetValue($"{BidEngineOptions.Section}:{nameof(BidEngineOptions.UseModel)}", true))
        {
            builder.Services.AddSingleton(sp => new OnnxCtrScorer(sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Model));
            builder.Services.AddSingleton<ICtrScorer>(sp => sp.GetRequiredService<OnnxCtrScorer>());
        }

        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value;
            var store = sp.GetRequiredService<CampaignStore>();
            return new BidPipeline(
                () => store.Current,
                sp.GetService<ICtrScorer>(),
                options.Pricing,
                options.Pipeline,
                sp.GetRequiredService<DeadlinePolicy>(),
                TimeProvider.System,
                string.IsNullOrEmpty(options.Notices.BaseUrl) ? null : new NoticeUrls(options.Notices.BaseUrl));
        });
        builder.Services.AddSingleton<ObjectPool<EndpointContext>>(_ =>
            new DefaultObjectPool<EndpointContext>(new DefaultPooledObjectPolicy<EndpointContext>(), PooledContexts));
        // A registry per host (not the process-wide default), so that hosts in one test process keep apart.
        builder.Services.AddSingleton(_ =>
        {
            var registry = Prometheus.Metrics.NewCustomRegistry();
            Prometheus.DotNetStats.Register(registry);
            return registry;
        });
        builder.Services.AddSingleton<BidMetrics>();
        builder.Services.AddSingleton<OverloadMetrics>();
        builder.Services.AddSingleton(sp => new ScorerMetrics(sp.GetRequiredService<CollectorRegistry>(), sp.GetService<OnnxCtrScorer>()));
        builder.Services.AddSingleton<BidEndpoint>();
        builder.Services.AddHostedService<WarmupService>();
        return builder;
    }

    public static WebApplication MapBidEngine(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<BidEndpoint>();
        app.MapPost("/openrtb2/bid", endpoint.HandleAsync);
        NoticeEndpoints.Map(app);
        HealthEndpoints.Map(app);
        var registry = app.Services.GetRequiredService<Prometheus.CollectorRegistry>();
        _ = app.Services.GetRequiredService<OverloadMetrics>();
        _ = app.Services.GetRequiredService<ScorerMetrics>();
        app.MapMetrics("/metrics", registry);
        return app;
    }
}
