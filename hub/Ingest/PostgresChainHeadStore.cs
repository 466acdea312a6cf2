using Npgsql;
using NpgsqlTypes;
using SupplyChain.Contracts.Topics;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Ingest;

/// <summary>
/// Chain heads in PostgreSQL (table <c>chain_heads</c>, <see cref="Storage.PostgresSchema"/>). The hub moves them in the
/// transaction that sequences the events (<see cref="Log.PostgresLogStore"/>); a write from here can only move a head
/// forward (a higher seq), so a hub writing from a stale memory cannot take a head back past another hub's events.
/// </summary>
internal sealed class PostgresChainHeadStore(NpgsqlDataSource dataSource) : IChainHeadStore
{
    /// <summary>Upserts heads that move forward; parameters by <see cref="AddParameters"/>.</summary>
    public const string Upsert =
        "INSERT INTO chain_heads (device, seq, event_id) SELECT * FROM unnest(@device, @seq, @id) " +
        "ON CONFLICT (device) DO UPDATE SET seq = excluded.seq, event_id = excluded.event_id WHERE chain_heads.seq < excluded.seq";

    public static void AddParameters(NpgsqlCommand command, IReadOnlyCollection<KeyValuePair<string, ChainHead>> heads)
    {
        command.Parameters.Add(new NpgsqlParameter("device", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = heads.Select(h => h.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("seq", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = heads.Select(h => h.Value.Seq).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = heads.Select(h => h.Value.EventId.Bytes.ToArray()).ToArray() });
    }

    public ChainHead? Read(DeviceId device)
    {
        using var command = dataSource.CreateCommand("SELECT seq, event_id FROM chain_heads WHERE device = @device");
        command.Parameters.AddWithValue("device", device.Value);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ChainHead(reader.GetInt64(0), EventId.FromBytes(reader.GetFieldValue<byte[]>(1))) : null;
    }

    public IReadOnlyDictionary<DeviceId, ChainHead> ReadMany(IReadOnlyCollection<DeviceId> devices)
    {
        var byId = devices.ToDictionary(d => d.Value, StringComparer.Ordinal);
        using var command = dataSource.CreateCommand("SELECT device, seq, event_id FROM chain_heads WHERE device = ANY(@devices)");
        command.Parameters.Add(new NpgsqlParameter("devices", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = byId.Keys.ToArray() });
        using var reader = command.ExecuteReader();
        var found = new Dictionary<DeviceId, ChainHead>();
        while (reader.Read())
        {
            found[byId[reader.GetString(0)]] = new ChainHead(reader.GetInt64(1), EventId.FromBytes(reader.GetFieldValue<byte[]>(2)));
        }

        return found;
    }

    public void Write(DeviceId device, ChainHead head) => WriteMany([new(device, head)]);

    public void WriteMany(IReadOnlyCollection<KeyValuePair<DeviceId, ChainHead>> heads)
    {
        if (heads.Count == 0)
        {
            return;
        }

        using var command = dataSource.CreateCommand(Upsert);
        AddParameters(command, [.. heads.Select(h => new KeyValuePair<string, ChainHead>(h.Key.Value, h.Value))]);
        command.ExecuteNonQuery();
    }

    /// <summary>Copies <paramref name="heads"/> in, on <paramref name="connection"/> and its transaction (<c>storage migrate</c>).</summary>
    public static int Import(NpgsqlConnection connection, IEnumerable<KeyValuePair<DeviceId, ChainHead>> heads)
    {
        using var writer = connection.BeginBinaryImport("COPY chain_heads (device, seq, event_id) FROM STDIN (FORMAT BINARY)");
        foreach (var (device, head) in heads)
        {
            writer.StartRow();
            writer.Write(device.Value, NpgsqlDbType.Text);
            writer.Write(head.Seq, NpgsqlDbType.Bigint);
            writer.Write(head.EventId.Bytes.ToArray(), NpgsqlDbType.Bytea);
        }

        return (int)writer.Complete();
    }

    public IReadOnlyList<KeyValuePair<DeviceId, ChainHead>> ReadAll()
    {
        using var command = dataSource.CreateCommand("SELECT device, seq, event_id FROM chain_heads ORDER BY device COLLATE \"C\"");
        using var reader = command.ExecuteReader();
        var heads = new List<KeyValuePair<DeviceId, ChainHead>>();
        while (reader.Read())
        {
            // Only the hub writes the table, so an id that does not parse is a broken store, not bad input.
            heads.Add(DeviceId.TryParse(reader.GetString(0), out var device, out var why)
                ? new(device, new ChainHead(reader.GetInt64(1), EventId.FromBytes(reader.GetFieldValue<byte[]>(2))))
                : throw new InvalidDataException($"The chain-head table holds an unreadable device id: {why}."));
        }

        return heads;
    }
}
