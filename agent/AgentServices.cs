using Microsoft.Extensions.Options;
using SupplyChain.Agent.Delivery;
using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Recalls;
using SupplyChain.Agent.Scanners;
using SupplyChain.Agent.Scanners.Evdev;
using SupplyChain.Agent.Scanners.Serial;
using SupplyChain.Agent.Scanners.Stdin;
using SupplyChain.Agent.Scanners.Tcp;
using SupplyChain.Agent.Sensors.Sampling;
using SupplyChain.Agent.Station;
using SupplyChain.Agent.Status;
using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Agent;

/// <summary>The agent's wiring (DESIGN.md §5): validated options, the device key, the outbox, one hosted service per concern.</summary>
internal static class AgentServices
{
    /// <summary>Options only: enough for the command-line tools, which must validate the same keys as the service.</summary>
    public static IHostApplicationBuilder AddAgentOptions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<StationOptions>().BindConfiguration(StationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StationOptions>, StationOptionsValidator>();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FeedbackOptions>().BindConfiguration(FeedbackOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<FeedbackOptions>, FeedbackOptionsValidator>();
        services.AddOptions<ScannerOptions>().BindConfiguration(ScannerOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ScannerOptions>, ScannerOptionsValidator>();
        services.AddOptions<SensorsOptions>().BindConfiguration(SensorsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SensorsOptions>, SensorsOptionsValidator>();
        services.AddOptions<SamplerOptions>().BindConfiguration(SensorsOptions.Section + ":Sampling").ValidateDataAnnotations()
            .Validate(o => o.MinCelsius < o.MaxCelsius, "Sensors:Sampling:MinCelsius must be below Sensors:Sampling:MaxCelsius.")
            .ValidateOnStart();
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddOptions<HubKeyOptions>().BindConfiguration(HubKeyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HubKeyOptions>, HubKeyOptionsValidator>();
        services.AddOptions<StatusOptions>().BindConfiguration(StatusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static IHostApplicationBuilder AddAgent(this IHostApplicationBuilder builder)
    {
        builder.AddAgentOptions();
        var services = builder.Services;
        services.AddSystemd();
        services.AddSingleton(_ => WatchdogSettings.FromEnvironment(Environment.GetEnvironmentVariable, Environment.ProcessId));
        services.AddHostedService(sp => new SystemdWatchdog(
            sp.GetRequiredService<WatchdogSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SystemdWatchdog>>(),
            sp.GetRequiredService<EventOutbox>().IsResponsive));

        services.AddSingleton(sp =>
        {
            var station = sp.GetRequiredService<IOptions<StationOptions>>().Value;
            return DeviceIdentity.LoadOrCreate(station.DataDirectory, station.DeviceId);
        });
        services.AddSingleton(sp => new ClockSync(sp.GetRequiredService<IOptions<StationOptions>>().Value.ClockSyncMarker));
        services.AddSingleton(sp =>
        {
            var station = sp.GetRequiredService<IOptions<StationOptions>>().Value;
            var clock = sp.GetRequiredService<ClockSync>();
            return EventOutbox.Open(
                station.DataDirectory,
                sp.GetRequiredService<DeviceIdentity>(),
                BootId.Read(),
                clock.IsSynchronized,
                sp.GetRequiredService<IOptions<OutboxOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<EventOutbox>>());
        });

        services.AddSingleton(sp =>
        {
            var outbox = sp.GetRequiredService<EventOutbox>();
            return StationFeedback.Create(
                sp.GetRequiredService<IOptions<FeedbackOptions>>().Value, () => outbox.LastAppended, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(ScanSource);
        services.AddSingleton(sp => new StationWorkflow(
            sp.GetRequiredService<IOptions<StationOptions>>().Value,
            sp.GetRequiredService<EventOutbox>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StationWorkflow>>(),
            sp.GetRequiredService<RecallStore>()));
        services.AddHostedService<JournalMoverService>();
        services.AddHostedService<StationService>();
        services.AddHostedService<SensorReportingService>();
        services.AddSingleton<DeliveryState>();
        services.AddSingleton(OpenRecallStore);
        services.AddSingleton<IDeliverySubscription>(sp => new RecallSubscription(SiteOf(sp), sp.GetRequiredService<RecallStore>()));
        services.AddHostedService(DeliveryService);
        services.AddSingleton<SensorFaultCounts>();
        services.AddSingleton<AgentStatusSource>();
        services.AddHostedService<StatusServer>();
        return builder;
    }

    private static IScanSource ScanSource(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<ScannerOptions>>().Value;
        var role = sp.GetRequiredService<IOptions<StationOptions>>().Value.GetRole();
        var time = sp.GetRequiredService<TimeProvider>();
        if (!role.Scans())
        {
            return new NoScanner();
        }

        return options.Type switch
        {
            "evdev" => new EvdevScanSource(
                new EvdevScanSourceOptions { DevicePath = options.DevicePath!, Fnc1Substitute = options.ParsedSubstitute },
                time,
                sp.GetRequiredService<ILogger<EvdevScanSource>>()),
            "serial" => new SerialScanSource(
                new SerialScanSourceOptions { PortName = options.PortName!, BaudRate = options.BaudRate, Fnc1Substitute = options.ParsedSubstitute },
                time,
                sp.GetRequiredService<ILogger<SerialScanSource>>()),
            "tcp" => TcpScanSource.Listen(options.TcpPort, options.ParsedSubstitute),
            "stdin" => new StdinScanSource(options.ParsedSubstitute),
            _ => new NoScanner(),
        };
    }

    // The jitter's Random is seeded by the system, so stations that lost the same hub do not come back in step.
    private static DeliveryService DeliveryService(IServiceProvider sp)
    {
        var device = Contracts.Topics.DeviceId.TryParse(sp.GetRequiredService<IOptions<StationOptions>>().Value.DeviceId, out var id, out var reason)
            ? id
            : throw new InvalidOperationException($"Station:DeviceId: {reason}");
        var status = sp.GetRequiredService<AgentStatusSource>();
        return new(
            sp.GetRequiredService<EventOutbox>(),
            sp.GetRequiredService<IOptions<DeliveryOptions>>(),
            device,
            sp.GetRequiredService<DeliveryState>(),
            sp.GetRequiredService<TimeProvider>(),
            new Random(),
            sp.GetRequiredService<ILogger<DeliveryService>>(),
            sp.GetServices<IDeliverySubscription>(),
            () => status.ReadStation(device));
    }

    // The site's recall list (PROTOCOL.md §5.6), kept beside the outbox; off (every pack passes) without Delivery:HubKey.
    private static RecallStore OpenRecallStore(IServiceProvider sp) => RecallStore.Open(
        SiteOf(sp),
        sp.GetRequiredService<IOptions<HubKeyOptions>>().Value.Verifier(),
        sp.GetRequiredService<IOptions<StationOptions>>().Value.DataDirectory,
        sp.GetRequiredService<ILogger<RecallStore>>());

    private static Gln SiteOf(IServiceProvider sp)
    {
        var text = sp.GetRequiredService<IOptions<StationOptions>>().Value.SiteGln;
        return Gln.TryParse(text, out var site, out var reason) ? site : throw new InvalidOperationException($"Station:SiteGln: {reason}");
    }

    /// <summary>Scanner type <c>none</c> or a sensors-only role: no scans, ever.</summary>
    private sealed class NoScanner : IScanSource
    {
        public async IAsyncEnumerable<string> ReadScansAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            yield break;
        }
    }
}
