using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Station;

namespace SupplyChain.Agent.Outbox;

/// <summary><c>coldtrace-agent status</c>: the outbox backlog, read without writing, beside the running service.</summary>
internal static class StatusCommand
{
    public static Command Create(Func<string[], IHost> buildHost, TimeProvider timeProvider, string clockMarker = ClockSync.DefaultMarker)
    {
        var command = new Command("status", "Print the outbox backlog by kind, oldest unacknowledged age, last ack, rejected and dropped counts, and clock sync.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(parseResult =>
        {
            using var host = buildHost([.. parseResult.UnmatchedTokens]);
            StationOptions station;
            try
            {
                station = host.Services.GetRequiredService<IOptions<StationOptions>>().Value;
            }
            catch (OptionsValidationException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine(e.Message);
                return 2;
            }

            var output = parseResult.InvocationConfiguration.Output;
            var status = EventOutbox.ReadStatus(Path.Combine(station.DataDirectory, EventOutbox.FileName));
            if (status is null)
            {
                output.WriteLine($"no outbox in {station.DataDirectory} yet");
                return 0;
            }

            Write(output, status, timeProvider.GetUtcNow(), new ClockSync(clockMarker).IsSynchronized());
            return 0;
        });
        return command;
    }

    internal static void Write(TextWriter output, OutboxStatus status, DateTimeOffset now, bool clockSynced)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(status);
        output.WriteLine($"custody pending:   {status.PendingCustody}");
        output.WriteLine($"sensor backlog:    {status.SensorBacklog} ({status.PendingSensor} signed, {status.QueuedSensor} queued)");
        output.WriteLine($"oldest unacked:    {(status.OldestUnackedAge(now) is { } age ? Age(age) : "-")}");
        output.WriteLine($"last ack:          {(status.LastAckSeq is { } seq ? $"seq {seq} at log index {status.LastAckLogIndex}, {Age(now - status.LastAckAt!.Value)} ago" : "-")}");
        output.WriteLine($"rejected:          {status.Rejected}");
        output.WriteLine($"sensor gaps:       {status.Gaps}");
        output.WriteLine($"next seq:          {status.NextSeq}{(status.ChainStart > 0 ? $" (chain restarted at {status.ChainStart})" : string.Empty)}");
        output.WriteLine($"clock synced:      {(clockSynced ? "yes" : "no")}");
        if (status.RecoveredFrom is { } moved)
        {
            output.WriteLine($"corrupt store:     moved aside to {moved} at {status.RecoveredAt:yyyy-MM-dd HH:mm:ss}Z");
        }
    }

    private static string Age(TimeSpan age) => age.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture);
}
