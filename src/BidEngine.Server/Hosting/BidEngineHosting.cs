using BidEngine.Core.Budgets;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Eligibility;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Events;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.Core.Privacy;
using BidEngine.Core.Scoring;
using BidEngine.Core.State;
using BidEngine.Core.Time;
using BidEngine.Model;
using BidEngine.Server.Endpoints;
using BidEngine.Server.Status;
using BidEngine.State.Redis;
using BidEngine.Server.Metrics;
using Prometheus;
using BidEngine.Server.Options;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>Wires the libraries into the host: configuration, options, services, Kestrel limits and routes.</summary>
internal static partial class BidEngineHosting
{
    /// <summary>
    /// Contexts kept for reuse. Each holds about 10 KiB (text arena, lists, writer); 1024 covers
    /// the concurrency a 2-core bidder reaches long before its deadline logic sheds load.
    /// </summary>
    private const int PooledContexts = 1024;

    public static WebApplicationBuilder AddBidEngine(this WebApplicationBuilder builder)
    {
        AddShortSwitches(builder.Configuration);
        var binary = AppContext.BaseDirectory;
        var configFolder = ConfigFolder.Find(builder.Configuration[ConfigFolder.ConfigSetting], "config", binary);

        // Shipped defaults first, so environment variables and the command line override them.
        var defaults = Path.Combine(configFolder, ConfigFolder.SettingsFile);
        if (!File.Exists(defaults))
        {
            throw StartupRefusal.Because($"{ConfigFolder.ConfigSetting} '{configFolder}' has no {ConfigFolder.SettingsFile}");
        }

        var source = new JsonConfigurationSource { Path = defaults, Optional = false };
        source.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, source);

        QuietRequestDiagnostics(builder);

        // Kestrel itself honours --urls, ASPNETCORE_URLS and ASPNETCORE_HTTP_PORTS / HTTPS_PORTS (the
        // .NET container images set HTTP_PORTS) for the bid listener, loopback:5000 when none is given;
        // the management listener (BidEngine:Management:Url) is added beside it.
        var configuration = builder.Configuration;
        Listeners.Configure(builder);

        builder.Services.AddOptions<BidEngineOptions>()
            .Configure(o => BindStrictly(configuration.GetSection(BidEngineOptions.Section), o))
            .PostConfigure(o =>
            {
                // Full paths from here on: campaigns from the config folder, model files from the models folder.
                o.ConfigFolder = configFolder;
                o.ModelsFolder = ConfigFolder.Find(o.ModelsFolder, "models", binary);
                if (!string.IsNullOrWhiteSpace(o.CampaignsPath))
                {
                    o.CampaignsPath = ConfigFolder.Resolve(configFolder, o.CampaignsPath);
                }

                if (!string.IsNullOrWhiteSpace(o.Model.ModelPath))
                {
                    o.Model.ModelPath = ConfigFolder.Resolve(o.ModelsFolder, o.Model.ModelPath);
                }

                if (!string.IsNullOrWhiteSpace(o.PriorsPath))
                {
                    o.PriorsPath = ConfigFolder.Resolve(o.ModelsFolder, o.PriorsPath);
                }

                if (!string.IsNullOrWhiteSpace(o.EventLog.Folder))
                {
                    o.EventLog.Folder = Path.GetFullPath(o.EventLog.Folder);
                }

                if (!string.IsNullOrWhiteSpace(o.Notices.SavePath))
                {
                    o.Notices.SavePath = ConfigFolder.Resolve(o.ModelsFolder, o.Notices.SavePath);
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BidEngineOptions>, BidEngineOptionsValidator>();

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            // This runs while the host is built, before the settings are bound strictly and validated:
            // read only the Http section, and leniently. A value there that does not convert leaves
            // Kestrel's limits at their defaults for the moment; the strict binding then refuses the
            // start naming it (binding everything here made any bad value anywhere a stack trace).
            HttpOptions http;
            try
            {
                http = context.Configuration.GetSection(BidEngineOptions.Section + ":" + nameof(BidEngineOptions.Http)).Get<HttpOptions>() ?? new HttpOptions();
            }
            catch (InvalidOperationException)
            {
                http = new HttpOptions();
            }

            KestrelLimits.Apply(kestrel.Limits, http);
        });

        builder.Services.AddSingleton<ReadinessState>();
        builder.Services.AddHostedService<DrainService>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(ShutdownTimeoutSeconds(builder.Configuration)));
        builder.Services.AddSingleton<QueueDelayProbe>();
        builder.Services.AddSingleton(sp => new AdmissionControl(sp.GetRequiredService<QueueDelayProbe>(), sp.GetRequiredService<DeadlinePolicy>()));
        // Time and money. The clock is a service so that tests run days on a manual one; the ledger
        // sits behind IBudgetLedger so that a shared store can take the in-process one's place.
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        builder.Services.AddSingleton(sp =>
        {
            var budgets = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Budgets;
            return new InProcessBudgetLedger(sp.GetRequiredService<IClock>(), new LedgerOptions
            {
                ReservationTtl = TimeSpan.FromSeconds(budgets.ReservationTtlSeconds),
                LateNoticeWindow = TimeSpan.FromSeconds(budgets.LateNoticeWindowSeconds),
                MaxReservations = budgets.MaxReservations,
            });
        });
        // One setting moves a node's money state into the fleet's store; the in-process parts then stand idle.
        var shared = !string.IsNullOrWhiteSpace(builder.Configuration[$"{BidEngineOptions.Section}:{nameof(BidEngineOptions.State)}:{nameof(StateOptions.Redis)}"]);
        if (shared)
        {
            builder.Services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value;
                return RedisState.ConnectAsync(
                    new RedisStateOptions
                    {
                        Configuration = options.State.Redis,
                        ReservationTtl = TimeSpan.FromSeconds(options.Budgets.ReservationTtlSeconds),
                        LateNoticeWindow = TimeSpan.FromSeconds(options.Budgets.LateNoticeWindowSeconds),
                    },
                    sp.GetRequiredService<IClock>(),
                    new FrequencyCapOptions { Capacity = options.Budgets.FrequencyCapCapacity }).GetAwaiter().GetResult();
            });
            builder.Services.AddSingleton(sp => sp.GetRequiredService<RedisState>().Ledger);
            builder.Services.AddSingleton(sp => sp.GetRequiredService<RedisState>().Caps);
        }
        else
        {
            builder.Services.AddSingleton<IBudgetLedger>(sp => sp.GetRequiredService<InProcessBudgetLedger>());
            builder.Services.AddSingleton<IFrequencyCaps>(sp => sp.GetRequiredService<FrequencyCapTable>());
        }

        builder.Services.AddSingleton(sp => new FrequencyCapTable(
            sp.GetRequiredService<IClock>(),
            new FrequencyCapOptions { Capacity = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Budgets.FrequencyCapCapacity }));
        builder.Services.AddSingleton(sp => new CampaignGate(sp.GetRequiredService<IClock>(), sp.GetRequiredService<IBudgetLedger>(), sp.GetRequiredService<IFrequencyCaps>()));
        builder.Services.AddSingleton(sp => new BillingBook(sp.GetRequiredService<IBudgetLedger>(), sp.GetRequiredService<IFrequencyCaps>()));
        builder.Services.AddSingleton(sp => new CampaignStore(StartupLoads.Campaigns(sp.GetRequiredService<IOptions<BidEngineOptions>>().Value), sp.GetRequiredService<CampaignGate>()));
        builder.Services.AddSingleton<CampaignReloader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CampaignReloader>());
        builder.Services.AddSingleton<BudgetService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BudgetService>());
        builder.Services.AddSingleton(sp => new PriorCtrSource(StartupLoads.Priors(sp.GetRequiredService<IOptions<BidEngineOptions>>().Value)));
        builder.Services.AddSingleton(sp => new DeadlinePolicy(
            sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Deadline,
            sp.GetRequiredService<PriorCtrSource>()));
        builder.Services.AddSingleton<OutcomeCounts>();
        // Signed notices: one signer for the URLs written and the tokens verified; the replay window
        // is allocated whole at start (Notices:ReplayWindowCapacity × 17 B). The shading is optional.
        builder.Services.AddSingleton(sp =>
        {
            var notices = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Notices;
            var key = NoticeOptions.KeyBytes(notices.SigningKey);
            return key is null ? NoticeSigner.WithRandomKey() : new NoticeSigner(key, NoticeOptions.KeyBytes(notices.PreviousSigningKey));
        });
        builder.Services.AddSingleton(sp => new ReplayWindow(sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Notices.ReplayWindowCapacity));
        builder.Services.AddSingleton(sp => shared ? sp.GetRequiredService<RedisState>().Replays : sp.GetRequiredService<ReplayWindow>());
        // Money state that outlives the process: opened once the campaigns are loaded, before any bid.
        builder.Services.AddSingleton<StateService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StateService>());
        builder.Services.AddSingleton<IDurability>(sp => sp.GetRequiredService<StateService>());
        builder.Services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<CampaignStore>();
            return new OutcomeNotices(
                () => store.Current,
                sp.GetRequiredService<OutcomeCounts>(),
                sp.GetRequiredService<BillingBook>(),
                sp.GetRequiredService<NoticeSigner>(),
                sp.GetRequiredService<IReplayWindow>(),
                sp.GetRequiredService<IClock>(),
                TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Notices.TokenLifetimeSeconds),
                sp.GetService<IBidShading>(),
                sp.GetRequiredService<EventLog>(),
                sp.GetRequiredService<ExchangeDirectory>())
            {
                WinsAndLosses = sp.GetService<WinLossCounts>(),
            };
        });
        builder.Services.AddSingleton(sp =>
        {
            var notices = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Notices;
            var store = sp.GetRequiredService<CampaignStore>();
            var source = sp.GetRequiredService<PriorCtrSource>();
            var globalCtr = source.Current.File.GlobalCtr;

            // A campaign the shipped table does not know starts from its configured prior.
            // In a fleet the priors refresh from every node's counts, pooled in the store.
            return new PriorRefresher(
                source,
                shared ? sp.GetRequiredService<StateService>().OutcomePool!.Pooled : sp.GetRequiredService<OutcomeCounts>(),
                notices.PriorStrengthImpressions,
                id => store.Current.TryGetCampaign(id, out var campaign) ? campaign.CtrPrior : globalCtr,
                notices.SavePath,
                TimeProvider.System);
        });
        builder.Services.AddHostedService<PriorRefreshService>();
        builder.Services.AddSingleton<NoticeEndpoints>();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.EventLog;
            if (!options.Enabled)
            {
                return EventLog.Off;
            }

            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EventLog));
            var log = new EventLog(options, TimeProvider.System, message => logger.LogWarning("{Message}", message));

            // Warm-up's own requests are not logged: WarmupService resumes when it is done.
            log.PauseDecisions();
            return log;
        });
        builder.Services.AddHostedService<EventLogService>();
        builder.Services.AddSingleton<EventLogMetrics>();
        if (builder.Configuration.GetValue($"{BidEngineOptions.Section}:{nameof(BidEngineOptions.UseModel)}", true))
        {
            builder.Services.AddSingleton(sp => StartupLoads.Scorer(sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Model));
            builder.Services.AddSingleton<ICtrScorer>(sp => sp.GetRequiredService<OnnxCtrScorer>());
        }

        // First-price shading learned from verified win and loss notices: one instance, asked by the
        // pipeline for each campaign's factor and told the outcomes by the notice endpoints.
        builder.Services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<CampaignStore>();
            return new LearnedShading(sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Pricing, () => store.Current);
        });
        builder.Services.AddSingleton<IBidShading>(sp => shared
            ? sp.GetRequiredService<RedisState>().ShareShadingAsync(sp.GetRequiredService<LearnedShading>(), () => sp.GetRequiredService<CampaignStore>().Current).GetAwaiter().GetResult()
            : sp.GetRequiredService<LearnedShading>());
        builder.Services.AddSingleton<ShadingMetrics>();

        builder.Services.AddSingleton(sp => new ConsentEngine(sp.GetRequiredService<IOptions<BidEngineOptions>>().Value.Privacy));
        TrafficHosting.AddTrafficChecks(builder.Services);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value;
            var store = sp.GetRequiredService<CampaignStore>();
            var pipeline = new BidPipeline(
                () => store.Current,
                sp.GetService<ICtrScorer>(),
                options.Pricing,
                options.Pipeline,
                sp.GetRequiredService<DeadlinePolicy>(),
                TimeProvider.System,
                string.IsNullOrEmpty(options.Notices.BaseUrl) ? null : new NoticeUrls(options.Notices.BaseUrl, sp.GetRequiredService<NoticeSigner>(), sp.GetRequiredService<IClock>()),
                sp.GetRequiredService<CampaignGate>(),
                sp.GetRequiredService<IBidShading>(),
                sp.GetRequiredService<StateService>().BidIds)
            {
                Privacy = sp.GetRequiredService<ConsentEngine>(),
                Traffic = sp.GetRequiredService<Core.Traffic.TrafficFilter>(),
            };
            return pipeline;
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
        builder.Services.AddSingleton<CpuMetrics>();
        builder.Services.AddSingleton<SpendMetrics>();
        builder.Services.AddSingleton<StateMetrics>();
        builder.Services.AddSingleton<NoticeMetrics>();
        builder.Services.AddSingleton<PrivacyMetrics>();
        builder.Services.AddSingleton(sp => new ScorerMetrics(sp.GetRequiredService<CollectorRegistry>(), sp.GetService<OnnxCtrScorer>()));
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BidEngineOptions>>().Value;
            return new ExchangeDirectory(options.Exchanges, options.Deadline, SystemClock.Instance);
        });
        builder.Services.AddSingleton<ExchangeMetrics>();
        builder.Services.AddSingleton<BidEndpoint>();
        builder.Services.AddHostedService<WarmupService>();
        builder.Services.AddStatusPage();
        return builder;
    }

    public static WebApplication MapBidEngine(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<BidEngineOptions>>().Value;
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BidEngineHosting)).LogInformation(
            "Config folder {ConfigFolder} (campaigns {CampaignsPath}, watched: {Reload}); models folder {ModelsFolder} (model {ModelPath}, used: {UseModel}; priors {PriorsPath})",
            options.ConfigFolder, options.CampaignsPath, options.ReloadCampaigns, options.ModelsFolder, options.Model.ModelPath, options.UseModel, options.PriorsPath);
        if (!string.IsNullOrEmpty(options.Notices.BaseUrl) && string.IsNullOrEmpty(options.Notices.SigningKey))
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BidEngineHosting)).LogWarning(
                "BidEngine:Notices:SigningKey is not set: notices are signed with a random key made at start, so notices of bids made before a restart or by another bidder will be refused");
        }

        // Routing first, then the split: an endpoint answers only on its own listener.
        app.UseRouting();
        Listeners.UseSplit(app, options.Management.Port!.Value);
        var bidPort = app.MapGroup("").WithMetadata(BidPortOnly.Instance);
        var management = app.MapGroup("").WithMetadata(ManagementOnly.Instance);

        var endpoint = app.Services.GetRequiredService<BidEndpoint>();
        bidPort.MapPost("/openrtb2/bid", endpoint.HandleAsync);

        // One route per exchange profile: the request path needs no lookup to know its exchange.
        foreach (var exchange in app.Services.GetRequiredService<ExchangeDirectory>().All)
        {
            bidPort.MapPost($"/openrtb2/{exchange.Name}/bid", http => endpoint.HandleAsync(http, exchange));
        }

        NoticeEndpoints.Map(bidPort, app.Services);
        HealthEndpoints.Map(app);
        var registry = app.Services.GetRequiredService<Prometheus.CollectorRegistry>();
        _ = app.Services.GetRequiredService<OverloadMetrics>();
        _ = app.Services.GetRequiredService<CpuMetrics>();
        _ = app.Services.GetRequiredService<ScorerMetrics>();
        _ = app.Services.GetRequiredService<SpendMetrics>();
        _ = app.Services.GetRequiredService<StateMetrics>();
        _ = app.Services.GetRequiredService<PrivacyMetrics>();
        _ = app.Services.GetRequiredService<TrafficMetrics>();
        _ = app.Services.GetRequiredService<EventLogMetrics>();
        _ = app.Services.GetRequiredService<ExchangeMetrics>();
        _ = app.Services.GetRequiredService<ShadingMetrics>();
        management.MapMetrics("/metrics", registry);
        StatusEndpoints.Map(management);
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BidEngineHosting)).LogInformation(
            "Management listener on {Url}: /metrics, /status (and nothing of it on the bid port)", options.Management.Url);
        return app;
    }

    /// <summary>
    /// <c>--config &lt;folder&gt;</c> and <c>--models &lt;folder&gt;</c>: the command line the host
    /// already read, read again with the short forms mapped to their settings.
    /// </summary>
    /// <summary>
    /// ASP.NET Core's hosting layer opens a log scope and starts an <see cref="System.Diagnostics.Activity"/>
    /// for every request whenever its logger ("Microsoft.AspNetCore.Hosting.Diagnostics") is enabled at any
    /// level, even with nothing written: ~600 B and an execution-context copy per request, 60% of what the
    /// bid path allocated. Off unless the settings name that category (a tracing listener still gets its
    /// activities: this only stops the logging scope from asking for one).
    /// </summary>
    private static void QuietRequestDiagnostics(WebApplicationBuilder builder)
    {
        const string category = "Microsoft.AspNetCore.Hosting.Diagnostics";
        if (builder.Configuration.GetSection("Logging:LogLevel:" + category).Value is null)
        {
            builder.Logging.AddFilter(category, LogLevel.None);
        }
    }

    private static void AddShortSwitches(ConfigurationManager configuration)
    {
        var sources = configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is CommandLineConfigurationSource { SwitchMappings: null } commandLine)
            {
                sources[i] = new CommandLineConfigurationSource { Args = commandLine.Args, SwitchMappings = ConfigFolder.SwitchMappings };
            }
        }
    }

    /// <summary>
    /// <c>Shutdown:TimeoutSeconds</c> read leniently, for the host's own options: a value that does not
    /// convert leaves the default here, and the strict binding then stops the start naming it.
    /// </summary>
    private static int ShutdownTimeoutSeconds(IConfiguration configuration)
    {
        var value = configuration[$"{BidEngineOptions.Section}:{nameof(BidEngineOptions.Shutdown)}:{nameof(ShutdownOptions.TimeoutSeconds)}"];
        return int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 600 ? seconds : new ShutdownOptions().TimeoutSeconds;
    }

    /// <summary>A setting the bidder does not know (a typo, or one since removed) would do nothing without a word: it stops the start.</summary>
    private static void BindStrictly(IConfigurationSection section, BidEngineOptions options)
    {
        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw StartupRefusal.Because(DescribeBindingFailure(LocateInDictionaries(section) ?? e));
        }
    }

    /// <summary>
    /// A value that does not convert inside a dictionary (an exchange profile, a currency rate) makes
    /// the binder say only that binding failed; binding each entry on its own names the key.
    /// </summary>
    private static InvalidOperationException? LocateInDictionaries(IConfigurationSection section)
    {
        var entries = section.GetSection(nameof(BidEngineOptions.Exchanges)).GetChildren()
            .Select(child => (child, type: typeof(Core.Exchanges.ExchangeProfile)))
            .Concat(section.GetSection(nameof(BidEngineOptions.Currency)).GetSection(nameof(CurrencyOptions.UsdPerUnit)).GetChildren()
                .Select(child => (child, type: typeof(double))));
        foreach (var (child, type) in entries)
        {
            try
            {
                child.Get(type, binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException e)
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>
    /// The binder says either that a key is unknown (a typo) or that a value does not convert to its
    /// setting's type: for the second, the setting and, for a choice, the values it takes.
    /// </summary>
    private static string DescribeBindingFailure(InvalidOperationException e)
    {
        var conversion = ConversionFailure().Match(e.Message);
        if (!conversion.Success)
        {
            return $"{BidEngineOptions.Section} has a setting this bidder does not know: {e.Message}";
        }

        var typeName = conversion.Groups["type"].Value;
        var type = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        var expected = type switch
        {
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type)),
            not null when Nullable.GetUnderlyingType(type) is { } inner => "empty or a valid " + inner.Name,
            not null => "a valid " + type.Name,
            _ => typeName,
        };
        return $"{conversion.Groups["key"].Value} cannot be '{conversion.Groups["value"].Value}': it must be {expected}";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex ConversionFailure();
}
