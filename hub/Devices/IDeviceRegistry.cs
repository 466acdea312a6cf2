using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// Where enrolled devices are kept: LiteDB by default (<see cref="LiteDbDeviceRegistry"/>) or PostgreSQL
/// (<see cref="PostgresDeviceRegistry"/>). The log holds the decisions; this is the hub's quick lookup of them.
/// </summary>
internal interface IDeviceRegistry
{
    DeviceRecord? Find(DeviceId id);

    IReadOnlyList<DeviceRecord> List();

    /// <summary>Adds a new device; false when the id is already enrolled (active or revoked).</summary>
    bool TryAdd(DeviceRecord record);

    /// <summary>Marks a device revoked; false when it is unknown or already revoked.</summary>
    bool TryRevoke(DeviceId id, DateTimeOffset at, string reason, long logIndex);
}
