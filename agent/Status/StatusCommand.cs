using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Delivery;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Station;

namespace SupplyChain.Agent.Status;

/// <summary>
/// <c>coldtrace-agent status</c>: asks the running agent over its loopback endpoint (<see cref="StatusServer"/>), which
/// answers from its one open outbox. Only when no agent runs — proved by taking the outbox lock the agent holds while it
/// runs — is the store opened read-only here; a second LiteDB reader beside a writer can fail mid-read
/// (<c>ReadFull must read PAGE_SIZE bytes</c>), so it never reads beside a running agent.
/// </summary>
internal static class StatusCommand
{
    /// <summary>The lock file <see cref="EventOutbox"/> holds exclusively while an agent has the store open.</summary>
    public const string LockFileName = "outbox.lock";

    public static Command Create(Func<string[], IHost> buildHost, TimeProvider timeProvider, string? clockMarker = null)
    {
        var command = new Command("status", "Print the running agent's status (backlog by kind, oldest unacked age, last ack, rejected, sensor faults, connection, clock sync, recall list); reads the store when no agent runs.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var host = buildHost([.. parseResult.UnmatchedTokens]);
            StationOptions station;
            StatusOptions endpoint;
            DeliveryOptions delivery;
            try
            {
                station = host.Services.GetRequiredService<IOptions<StationOptions>>().Value;
                endpoint = host.Services.GetRequiredService<IOptions<StatusOptions>>().Value;
                delivery = host.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
            }
            catch (OptionsValidationException e)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }

            var output = parseResult.InvocationConfiguration.Output;
            var unanswered = "the status endpoint is off (Status:Port = 0)";
            if (endpoint.IsEnabled)
            {
                var (status, problem) = await StatusClient.TryReadAsync(endpoint.Port, TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
                if (status is not null)
                {
                    Write(output, status, $"running, answered on {StatusServer.Prefix(endpoint.Port)}status");
                    return 0;
                }

                unanswered = $"127.0.0.1:{endpoint.Port} did not answer ({problem})";
            }

            var stored = ReadStoppedAgent(station.DataDirectory, delivery.IsEnabled, timeProvider.GetUtcNow(), new ClockSync(clockMarker ?? station.ClockSyncMarker).IsSynchronized());
            switch (stored)
            {
                case { Running: true }:
                    await parseResult.InvocationConfiguration.Error.WriteLineAsync(
                        $"an agent is running on {station.DataDirectory} but {unanswered}; its store is not opened beside it").ConfigureAwait(false);
                    return 1;
                case { Status: null }:
                    await output.WriteLineAsync($"no outbox in {station.DataDirectory} yet").ConfigureAwait(false);
                    return 0;
                default:
                    Write(output, stored.Status, $"not running ({unanswered}); read from {Path.Combine(station.DataDirectory, EventOutbox.FileName)}");
                    return 0;
            }
        });
        return command;
    }

    /// <summary>
    /// Reads the store of a stopped agent, holding its lock meanwhile so an agent cannot open the store mid-read (one
    /// starting then fails at its lock and is restarted by systemd). Running is true when the lock is held by an agent.
    /// </summary>
    internal static (bool Running, AgentStatus? Status) ReadStoppedAgent(string directory, bool deliveryEnabled, DateTimeOffset now, bool clockSynced)
    {
        var database = Path.Combine(directory, EventOutbox.FileName);
        if (!File.Exists(database))
        {
            return (false, null);
        }

        FileStream? held = null;
        try
        {
            // FileMode.Open: an operator running this as root must not leave a root-owned lock the service cannot open.
            held = new FileStream(Path.Combine(directory, LockFileName), FileMode.Open, FileAccess.Read, FileShare.None);
        }
        catch (FileNotFoundException)
        {
            // No agent has ever run on this directory.
        }
        catch (IOException)
        {
            return (true, null);
        }

        using (held)
        {
            var store = EventOutbox.ReadStatus(database);
            var rejected = store is { Rejected: > 0 } ? RejectedEvent.Of(EventOutbox.ReadRejected(database, RejectedEvent.Shown)) : [];
            return (false, store is null ? null : new AgentStatus(now, AgentRunning: false, Healthy: false, "the agent is not running", store, deliveryEnabled, null, clockSynced, null, null, rejected));
        }
    }

    internal static void Write(TextWriter output, AgentStatus status, string source)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(status);
        var now = status.Time;
        output.WriteLine($"agent:             {source}");
        if (status.AgentRunning)
        {
            output.WriteLine($"health:            {(status.Healthy ? "ok" : "unhealthy: " + status.Problem)}");
        }

        if (status.Outbox is { } store)
        {
            output.WriteLine($"custody pending:   {store.PendingCustody}");
            output.WriteLine($"sensor backlog:    {store.SensorBacklog} ({store.PendingSensor} signed, {store.QueuedSensor} queued)");
            output.WriteLine($"oldest unacked:    {(store.OldestUnackedAge(now) is { } age ? Age(age) : "-")}");
            output.WriteLine($"last ack:          {(store.LastAckSeq is { } seq ? $"seq {seq} at log index {store.LastAckLogIndex}, {Age(now - store.LastAckAt!.Value)} ago" : "-")}");
            output.WriteLine($"rejected:          {store.Rejected}{(store.Rejected > RejectedEvent.Shown ? $" (newest {RejectedEvent.Shown} below; all in the journal: grep 'Hub rejected')" : string.Empty)}");
            foreach (var rejected in status.RejectedEvents ?? [])
            {
                var at = rejected.RejectedAt is { } time ? $" at {time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}" : string.Empty;
                output.WriteLine($"  seq {rejected.Seq} ({rejected.Kind}) {rejected.EventId}{at}: {rejected.Reason}");
            }

            output.WriteLine($"sensor gaps:       {store.Gaps}");
            if (store.Unavailable is { } closed)
            {
                output.WriteLine($"store:             closed, takes no events ({closed}); figures are from before");
            }

            output.WriteLine($"next seq:          {store.NextSeq}{(store.ChainStart > 0 ? $" (chain restarted at {store.ChainStart})" : string.Empty)}");
        }

        output.WriteLine($"connection:        {Connection(status)}");
        output.WriteLine($"clock synced:      {(status.ClockSynced ? "yes" : "no")}");
        output.WriteLine($"recall list:       {Recalls(status)}");
        output.WriteLine($"sensor faults:     {Faults(status)}");
        if (status.Outbox is { RecoveredFrom: { } moved } recovered)
        {
            output.WriteLine($"corrupt store:     moved aside to {moved} at {recovered.RecoveredAt:yyyy-MM-dd HH:mm:ss}Z");
        }
    }

    private static string Connection(AgentStatus status)
    {
        if (!status.DeliveryEnabled)
        {
            return "delivery off (Delivery:Host is empty): events wait in the outbox";
        }

        if (status.Delivery is not { } delivery)
        {
            return "- (agent not running)";
        }

        var since = delivery.Since is { } t ? $" since {t.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z" : string.Empty;
        var run = $"; this run {delivery.AckedThisRun} acked, {delivery.RejectedThisRun} rejected";
        return delivery.Connected
            ? $"connected{since}{(delivery.Draining ? ", draining the backlog" : string.Empty)}{run}"
            : $"disconnected{since}, {delivery.ConnectAttempts} failed attempt(s){(delivery.LastError is { } error ? $", last error: {error}" : string.Empty)}{run}";
    }

    private static string Recalls(AgentStatus status) => status.Recalls switch
    {
        null => "- (agent not running)",
        { Enabled: false } => "check off (Delivery:HubKey is empty)",
        { Version: null } r => $"none received yet{Refusals(r)}",
        var r => $"version {r.Version} built {r.BuiltAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, {r.Packs} recalled pack(s){Refusals(r)}",
    };

    private static string Refusals(Recalls.RecallStatus recalls) =>
        (recalls.Refused, recalls.Older) switch
        {
            (0, 0) => string.Empty,
            _ => $"; {recalls.Refused} refused{(recalls.LastRefusal is { } why ? $" (last: {why})" : string.Empty)}, {recalls.Older} older ignored",
        };

    private static string Faults(AgentStatus status) => status.SensorFaults switch
    {
        null => "- (agent not running)",
        [] => "none",
        var faults => string.Join("; ", faults.GroupBy(f => f.Sensor, StringComparer.Ordinal).Select(g => $"{g.Key} {string.Join(", ", g.Select(f => $"{f.Reason}={f.Count}"))}")),
    };

    private static string Age(TimeSpan age) => age.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture);
}
