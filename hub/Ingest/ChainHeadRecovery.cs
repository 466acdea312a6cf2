using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.Ingest;

/// <summary>
/// Moves chain heads that are behind the log up to the log's, at start, after <see cref="CustodyReplay"/> and before
/// the ingest workers read any head. The store is written after the log's commit, so a hub stopped in between (SIGKILL,
/// or power loss: the LiteDB head store is not fsynced) could keep a head behind events whose acks the device already
/// holds. The device never resends those, so each of its next events looked like a gap, was held, answered
/// <c>chain_gap</c> and resent, forever (found by <c>HubKillTests</c>' full run: 385 events stuck behind seq 31). The
/// log is the truth; the head store is only a shortcut to it.
/// </summary>
internal sealed partial class ChainHeadRecovery(LoggedChainHeads logged, IChainHeadStore store, ILogger<ChainHeadRecovery> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var behind = new List<KeyValuePair<DeviceId, ChainHead>>();
        foreach (var (deviceId, head) in logged.Snapshot())
        {
            if (!DeviceId.TryParse(deviceId, out var device, out _))
            {
                continue;
            }

            var stored = store.Read(device);
            if (stored is null || stored.Value.Seq < head.Seq)
            {
                LogMoved(device, stored?.Seq, head.Seq);
                behind.Add(new(device, head));
            }
        }

        if (behind.Count > 0)
        {
            store.WriteMany(behind);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chain head of device {Device} was behind the log (stored seq {Stored}, logged seq {Logged}): moved to the log's")]
    private partial void LogMoved(DeviceId device, long? stored, long logged);
}
