using Microsoft.Extensions.Options;
using SupplyChain.Agent.Delivery;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Recalls;
using SupplyChain.Agent.Station;

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
    public AgentStatus Read()
    {
        OutboxStatus? store = null;
        IReadOnlyList<RejectedEvent>? rejected = null;
        string? problem = null;
        try
        {
            store = outbox.ReadStatus();
            rejected = store.Rejected > 0 ? RejectedEvent.Of(outbox.ReadRejected(RejectedEvent.Shown)) : [];
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
}
