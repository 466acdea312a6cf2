using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.Ingest;

/// <summary>
/// The newest event of each device in the log, as <see cref="CustodyState"/> applies the log in index order (the replay
/// at start included): the chain heads the log itself implies, which <see cref="ChainHeadRecovery"/> compares with the
/// chain head store at start. Memory: one head per device.
/// </summary>
internal sealed class LoggedChainHeads : ICustodyObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChainHead> _heads = new(StringComparer.Ordinal);

    public void Applied(long index, ChainFact fact, RuleOutcome outcome)
    {
        if (fact is not DeviceEventFact { Id: var id, Event: var e })
        {
            return;
        }

        lock (_gate)
        {
            // A device's events enter the log in chain order (a restarted chain continues at a higher seq), so the
            // latest applied is the head.
            _heads[e.Device.DeviceId] = new ChainHead(e.Device.Seq, id);
        }
    }

    public IReadOnlyList<KeyValuePair<string, ChainHead>> Snapshot()
    {
        lock (_gate)
        {
            return [.. _heads];
        }
    }
}
