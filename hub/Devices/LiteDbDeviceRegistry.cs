using LiteDB;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// Devices in their own LiteDB file (<c>devices.db</c> in the data directory), collection <c>devices</c> with
/// <c>_id</c> = device id, opened through <see cref="ExclusiveLiteDatabase"/>: the running hub and the <c>devices</c> CLI
/// never write at the same time. Because this instance is the only writer while it holds the file, known devices are
/// also kept in memory: every event's admission looks its device up, and a LiteDB query per event was 5 % of the hub's
/// CPU under load (docs/BENCHMARKS.md "Whole system"). Unknown ids are not remembered (a stream of made-up ids must not
/// grow memory).
/// </summary>
internal sealed class LiteDbDeviceRegistry : IDeviceRegistry, IDisposable
{
    public const string FileName = "devices.db";

    private readonly ExclusiveLiteDatabase _file;
    private readonly ILiteCollection<BsonDocument> _devices;
    private readonly Lock _writeLock = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DeviceId, DeviceRecord> _known = new();

    /// <exception cref="IOException">Another process (or registry) holds the lock.</exception>
    public LiteDbDeviceRegistry(string path)
    {
        _file = new ExclusiveLiteDatabase(path);
        _devices = _file.Database.GetCollection("devices");
    }

    public DeviceRecord? Find(DeviceId id)
    {
        if (_known.TryGetValue(id, out var known))
        {
            return known;
        }

        lock (_writeLock)
        {
            var document = _devices.FindById(id.Value);
            return document is null ? null : _known[id] = FromDocument(document);
        }
    }

    public IReadOnlyList<DeviceRecord> List() => [.. _devices.FindAll().Select(FromDocument).OrderBy(d => d.Id.Value, StringComparer.Ordinal)];

    public bool TryAdd(DeviceRecord record)
    {
        lock (_writeLock)
        {
            if (_devices.FindById(record.Id.Value) is not null)
            {
                return false;
            }

            _devices.Insert(ToDocument(record));
            _known[record.Id] = record;
            return true;
        }
    }

    public bool TryRevoke(DeviceId id, DateTimeOffset at, string reason, long logIndex)
    {
        lock (_writeLock)
        {
            var existing = Find(id);
            if (existing is null || !existing.IsActive)
            {
                return false;
            }

            var revoked = existing with { RevokedAt = at, RevokedReason = reason, RevokedIndex = logIndex };
            if (!_devices.Update(ToDocument(revoked)))
            {
                return false;
            }

            _known[id] = revoked;
            return true;
        }
    }

    public void Dispose() => _file.Dispose();

    private static BsonDocument ToDocument(DeviceRecord record)
    {
        var document = new BsonDocument
        {
            ["_id"] = record.Id.Value,
            ["key"] = record.PublicKey,
            ["site"] = record.Site.Value,
            ["role"] = DeviceRoles.Name(record.Role),
            ["pw"] = record.PasswordHash,
            ["enrolledAt"] = record.EnrolledAt.ToUnixTimeMilliseconds(),
            ["enrolledIndex"] = record.EnrolledIndex,
        };
        if (record.RevokedAt is { } revokedAt)
        {
            document["revokedAt"] = revokedAt.ToUnixTimeMilliseconds();
            document["revokedReason"] = record.RevokedReason ?? string.Empty;
            document["revokedIndex"] = record.RevokedIndex ?? -1;
        }

        return document;
    }

    private static DeviceRecord FromDocument(BsonDocument document)
    {
        // Only this class writes the file, so a record that does not read back is a broken store, not bad input.
        if (!DeviceId.TryParse(document["_id"].AsString, out var id, out var why)
            || !Gln.TryParse(document["site"].AsString, out var site, out why)
            || !DeviceRoles.TryParse(document["role"].AsString, out var role))
        {
            throw new InvalidDataException($"The device registry holds an unreadable record: {why}.");
        }

        var revoked = document.TryGetValue("revokedAt", out var at) ? DateTimeOffset.FromUnixTimeMilliseconds(at.AsInt64) : (DateTimeOffset?)null;
        return new DeviceRecord(
            id,
            document["key"].AsBinary,
            site,
            role,
            document["pw"].AsString,
            DateTimeOffset.FromUnixTimeMilliseconds(document["enrolledAt"].AsInt64),
            document["enrolledIndex"].AsInt64,
            revoked,
            revoked is null ? null : document["revokedReason"].AsString,
            revoked is null ? null : document["revokedIndex"].AsInt64);
    }
}
