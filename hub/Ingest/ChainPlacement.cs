using SupplyChain.Contracts.Events;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Ingest;

/// <summary>Where an event falls relative to its device's chain head (PROTOCOL.md §5.5).</summary>
internal enum ChainPlacement
{
    /// <summary><c>seq</c> = head + 1 (0 for a first event) and <c>prev</c> = head's event id (zeros for a first event).</summary>
    Next,

    /// <summary><c>seq</c> is beyond the next one: earlier events are missing.</summary>
    Ahead,

    /// <summary>
    /// <c>seq</c> is beyond the next one and <c>prev</c> is all zeros: the device lost its store and began a new chain
    /// from a reserved higher <c>seq</c> (PROTOCOL.md §5.5). Only a chain's first event has a zero <c>prev</c>, so this
    /// cannot be a late event of the old chain; the events in between are lost on the device, and the hub says so.
    /// </summary>
    Restart,

    /// <summary><c>seq</c> is at or below the head but the event is not in the log: another event holds that seq.</summary>
    Fork,

    /// <summary><c>seq</c> is the next one but <c>prev</c> names another event.</summary>
    Broken,
}

internal static class DeviceChain
{
    /// <summary>Places an event that is not yet in the log against the device's head (none before its first event).</summary>
    public static ChainPlacement Place(ChainHead? head, DeviceStamp stamp)
    {
        var expectedSeq = head is { } h ? h.Seq + 1 : 0;
        if (stamp.Seq == expectedSeq)
        {
            var expectedPrev = head?.EventId ?? EventId.None;
            return stamp.Prev == expectedPrev ? ChainPlacement.Next : ChainPlacement.Broken;
        }

        if (stamp.Seq < expectedSeq)
        {
            return ChainPlacement.Fork;
        }

        return stamp.Prev == EventId.None ? ChainPlacement.Restart : ChainPlacement.Ahead;
    }
}
