using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Ingest;

/// <summary>Per-device chain heads that survive a hub restart (LiteDB or PostgreSQL).</summary>
internal interface IChainHeadStore
{
    ChainHead? Read(DeviceId device);

    /// <summary>The heads of several devices in one read; a device without a head is left out.</summary>
    IReadOnlyDictionary<DeviceId, ChainHead> ReadMany(IReadOnlyCollection<DeviceId> devices)
    {
        var found = new Dictionary<DeviceId, ChainHead>();
        foreach (var device in devices)
        {
            if (Read(device) is { } head)
            {
                found[device] = head;
            }
        }

        return found;
    }

    void Write(DeviceId device, ChainHead head);

    /// <summary>Writes several devices' heads in one transaction (an ingest worker saves a round's heads at once).</summary>
    void WriteMany(IReadOnlyCollection<KeyValuePair<DeviceId, ChainHead>> heads);

    /// <summary>Every device's head, ordered by device id (ordinal): what <c>storage migrate</c> copies.</summary>
    IReadOnlyList<KeyValuePair<DeviceId, ChainHead>> ReadAll();
}
