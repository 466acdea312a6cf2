using System.Reflection;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Delivery;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Recalls;
using SupplyChain.Agent.Station;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Status;

/// <summary>
/// Collects <see cref="AgentStatus"/> inside the running agent from the one open outbox (no second LiteDB reader), the
/// delivery state, the clock marker, the recall store and the sensor fault counts. Healthy means the host has started
/// and is not stopping and the outbox answers.
/// </summary>
internal sealed class AgentStatusSource(
    EventOutbox outbox,
    DeliveryState delivery,
    IOptions<DeliveryOptions> deliveryOptions,
    ClockSync clock,
    RecallStore recalls,
    SensorFaultCounts sensorFaults,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider)
{
    /// <summary>The agent's version, as its status report to the hub names it.</summary>
    public static string Version { get; } = VersionOf(typeof(AgentStatusSource).Assembly);

    /// <summary>What the station reports to the hub on its status topic (PROTOCOL.md §5.8): the same reading as <c>/status</c>.</summary>
    public StationStatus ReadStation(DeviceId device)
    {
        var status = Read();
        var outbox = status.Outbox;
        return new StationStatus
        {
            Device = device.Value,
            Time = status.Time,
            ClockSynced = status.ClockSynced,
            CustodyBacklog = outbox?.PendingCustody ?? 0,
            SensorBacklog = outbox?.SensorBacklog ?? 0,
            OldestWaiting = outbox?.OldestUnacked,
            Rejected = outbox?.Rejected ?? 0,
            SensorFaults = sensorFaults.BySensor(),
            AgentVersion = Version,
        };
    }

    public AgentStatus Read()
    {
        OutboxStatus? store = null;
        IReadOnlyList<RejectedEvent>? rejected = null;
        string? problem = null;
        try
        {
            store = outbox.ReadStatus();
            rejected = store.Rejected > 0 ? RejectedEvent.Of(outbox.ReadRejected(RejectedEvent.Shown)) : [];
            if (store.Unavailable is { } closed)
            {
                problem = $"outbox {outbox.Path} takes no events: {closed}";
            }
        }

        // Whatever LiteDB throws here is the answer to "is the agent healthy?", so it is reported, not propagated.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problem = $"outbox {outbox.Path} cannot be read: {e.Message}";
        }

        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            problem ??= "the agent is starting";
        }
        else if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            problem ??= "the agent is stopping";
        }

        return new AgentStatus(
            timeProvider.GetUtcNow(),
            AgentRunning: true,
            Healthy: problem is null,
            problem,
            store,
            deliveryOptions.Value.IsEnabled,
            delivery.Current,
            clock.IsSynchronized(),
            recalls.Status(),
            sensorFaults.Snapshot(),
            rejected);
    }

    // "1.4.0+abc123…" from the build; the commit suffix is cut so the report stays short.
    private static string VersionOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }
}
