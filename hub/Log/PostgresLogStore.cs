using Npgsql;
using NpgsqlTypes;
using SupplyChain.Hub.Ingest;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Log;

/// <summary>
/// The log in PostgreSQL (tables of <see cref="Storage.PostgresSchema"/>), the backend for hubs that outgrow one LiteDB
/// file. A sequencing batch is one transaction, as in Trillian's and Tessera's database backends: take the row lock on
/// <c>log_meta</c> (so hubs sharing the database hand out indexes one batch at a time), look the batch's leaf hashes
/// up, insert the new entries under the unique leaf-hash constraint, move the counter, commit. PostgreSQL's commit is
/// durable (WAL fsync) before it returns, so an index is acknowledged only once it is on disk.
/// <para>
/// Several hubs may sequence into one database (docs/OPERATIONS.md "Several hub instances"), and one device's messages may
/// reach different hubs, so the device chain is decided here, not in a hub's memory: in the same transaction each device
/// event is placed against its device's row in <c>chain_heads</c> (locked <c>FOR UPDATE</c>; the <c>log_meta</c> lock
/// already serialises batches) and only the next link of the chain is stored, moving the head with it. Two hubs can
/// therefore neither fork a chain nor both accept the same seq.
/// </para>
/// </summary>
internal sealed class PostgresLogStore(NpgsqlDataSource dataSource) : ILogStore
{
    public LogState ReadState()
    {
        using var command = dataSource.CreateCommand("SELECT sequenced, integrated FROM log_meta WHERE id = 1");
        using var reader = command.ExecuteReader();
        return reader.Read() ? new LogState(reader.GetInt64(0), reader.GetInt64(1)) : throw new InvalidOperationException("log_meta has no row: the schema was not created.");
    }

    public bool KeepsChains => true;

    public IReadOnlyList<SequenceResult> Sequence(IReadOnlyList<PendingEntry> batch)
    {
        var results = new SequenceResult[batch.Count];
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();

        long next;
        using (var counter = new NpgsqlCommand("SELECT sequenced FROM log_meta WHERE id = 1 FOR UPDATE", connection, transaction))
        {
            next = (long)counter.ExecuteScalar()!;
        }

        var known = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var lookup = new NpgsqlCommand("SELECT leaf_hash, idx FROM log_entries WHERE leaf_hash = ANY(@hashes)", connection, transaction))
        {
            lookup.Parameters.Add(new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = batch.Select(e => e.LeafHash).ToArray() });
            using var reader = lookup.ExecuteReader();
            while (reader.Read())
            {
                known[Convert.ToHexString(reader.GetFieldValue<byte[]>(0))] = reader.GetInt64(1);
            }
        }

        var chains = ReadHeads(connection, transaction, batch, known);
        var moved = new Dictionary<string, ChainHead>(StringComparer.Ordinal);
        var indexes = new List<long>(batch.Count);
        var hashes = new List<byte[]>(batch.Count);
        var leaves = new List<byte[]>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var key = Convert.ToHexString(batch[i].LeafHash);
            if (known.TryGetValue(key, out var existing))
            {
                results[i] = new SequenceResult(existing, IsDuplicate: true);
                continue;
            }

            if (batch[i].Link is { } link)
            {
                var head = chains.GetValueOrDefault(link.Device.Value);
                var placement = DeviceChain.Place(head, link.Stamp);
                if (placement is not (ChainPlacement.Next or ChainPlacement.Restart))
                {
                    results[i] = SequenceResult.Refuse(placement);
                    continue;
                }

                chains[link.Device.Value] = moved[link.Device.Value] = new ChainHead(link.Stamp.Seq, link.Id);
            }

            known[key] = next;
            indexes.Add(next);
            hashes.Add(batch[i].LeafHash);
            leaves.Add(batch[i].Leaf);
            results[i] = new SequenceResult(next, IsDuplicate: false);
            next++;
        }

        if (indexes.Count > 0)
        {
            using var insert = new NpgsqlCommand(
                "INSERT INTO log_entries (idx, leaf_hash, leaf) SELECT * FROM unnest(@idx, @hash, @leaf)", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter("idx", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = indexes.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = hashes.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("leaf", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = leaves.ToArray() });
            insert.ExecuteNonQuery();

            using var move = new NpgsqlCommand("UPDATE log_meta SET sequenced = @next WHERE id = 1", connection, transaction);
            move.Parameters.AddWithValue("next", next);
            move.ExecuteNonQuery();
        }

        if (moved.Count > 0)
        {
            using var heads = new NpgsqlCommand(PostgresChainHeadStore.Upsert, connection, transaction);
            PostgresChainHeadStore.AddParameters(heads, moved);
            heads.ExecuteNonQuery();
        }

        transaction.Commit();
        return results;
    }

    /// <summary>The chain heads of the batch's devices that have new events, locked for this transaction.</summary>
    private static Dictionary<string, ChainHead?> ReadHeads(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PendingEntry> batch, Dictionary<string, long> known)
    {
        var devices = batch
            .Where(e => e.Link is not null && !known.ContainsKey(Convert.ToHexString(e.LeafHash)))
            .Select(e => e.Link!.Device.Value)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var heads = new Dictionary<string, ChainHead?>(StringComparer.Ordinal);
        if (devices.Length == 0)
        {
            return heads;
        }

        // Ordered, so two transactions lock rows in one order (the log_meta lock makes that moot today, but it is cheap).
        using var read = new NpgsqlCommand(
            "SELECT device, seq, event_id FROM chain_heads WHERE device = ANY(@devices) ORDER BY device FOR UPDATE", connection, transaction);
        read.Parameters.Add(new NpgsqlParameter("devices", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = devices });
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            heads[reader.GetString(0)] = new ChainHead(reader.GetInt64(1), EventId.FromBytes(reader.GetFieldValue<byte[]>(2)));
        }

        return heads;
    }

    public StoredEntry? ReadEntry(long index) => ReadEntries(index, 1) is [var entry] ? entry : null;

    public IReadOnlyList<StoredEntry> ReadEntries(long start, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        using var command = dataSource.CreateCommand("SELECT idx, leaf, leaf_hash FROM log_entries WHERE idx >= @start AND idx < @end ORDER BY idx");
        command.Parameters.AddWithValue("start", start);
        command.Parameters.AddWithValue("end", start + count);
        using var reader = command.ExecuteReader();
        var entries = new List<StoredEntry>(Math.Min(count, 4096));
        while (reader.Read())
        {
            entries.Add(new StoredEntry(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2)));
        }

        return entries;
    }

    public long? FindByLeafHash(ReadOnlySpan<byte> leafHash)
    {
        using var command = dataSource.CreateCommand("SELECT idx FROM log_entries WHERE leaf_hash = @hash");
        command.Parameters.AddWithValue("hash", leafHash.ToArray());
        return command.ExecuteScalar() is long index ? index : null;
    }

    public byte[]? ReadTile(TileId id)
    {
        using var command = dataSource.CreateCommand("SELECT hashes FROM log_tiles WHERE tile_key = @key");
        command.Parameters.AddWithValue("key", id.Key);
        return command.ExecuteScalar() as byte[];
    }

    public void Integrate(IReadOnlyCollection<KeyValuePair<TileId, byte[]>> tiles, StoredCheckpoint checkpoint)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();

        // The fence against a second integrator (one that lost its advisory lock without noticing yet, or two first starts
        // at once): under the log_meta row lock the integrated size only grows, and a size already signed is never signed
        // again. Tiles and roots are a
        // function of the stored entries, so an integrator that passes this writes what any other would have written.
        using (var fence = new NpgsqlCommand(
            "SELECT integrated, EXISTS (SELECT 1 FROM log_checkpoints WHERE size = @size) FROM log_meta WHERE id = 1 FOR UPDATE", connection, transaction))
        {
            fence.Parameters.AddWithValue("size", checkpoint.Size);
            using var reader = fence.ExecuteReader();
            reader.Read();
            var (integrated, signed) = (reader.GetInt64(0), reader.GetBoolean(1));
            if (integrated > checkpoint.Size || signed)
            {
                throw new IntegrationFencedException($"Another integrator has already integrated {integrated} entries; not signing size {checkpoint.Size}.");
            }
        }

        if (tiles.Count > 0)
        {
            using var upsert = new NpgsqlCommand(
                "INSERT INTO log_tiles (tile_key, hashes) SELECT * FROM unnest(@key, @hashes) " +
                "ON CONFLICT (tile_key) DO UPDATE SET hashes = excluded.hashes", connection, transaction);
            upsert.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = tiles.Select(t => t.Key.Key).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = tiles.Select(t => t.Value).ToArray() });
            upsert.ExecuteNonQuery();
        }

        using (var store = new NpgsqlCommand(
            "INSERT INTO log_checkpoints (size, root, note) VALUES (@size, @root, @note) " +
            "ON CONFLICT (size) DO UPDATE SET root = excluded.root, note = excluded.note", connection, transaction))
        {
            store.Parameters.AddWithValue("size", checkpoint.Size);
            store.Parameters.AddWithValue("root", checkpoint.RootHash);
            store.Parameters.AddWithValue("note", checkpoint.Note);
            store.ExecuteNonQuery();
        }

        using (var move = new NpgsqlCommand("UPDATE log_meta SET integrated = @size WHERE id = 1", connection, transaction))
        {
            move.Parameters.AddWithValue("size", checkpoint.Size);
            move.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public StoredCheckpoint? ReadLatestCheckpoint() =>
        ReadCheckpointsWhere("ORDER BY size DESC LIMIT 1", null).FirstOrDefault();

    public IEnumerable<StoredCheckpoint> ReadCheckpoints() => ReadCheckpointsWhere("ORDER BY size", null);

    public StoredCheckpoint? ReadCheckpoint(long size) => ReadCheckpointsWhere("WHERE size = @size", size).FirstOrDefault();

    /// <summary>The data source belongs to the host (or the test) that made it; the store holds no connection.</summary>
    public void Dispose()
    {
    }

    private List<StoredCheckpoint> ReadCheckpointsWhere(string clause, long? size)
    {
        using var command = dataSource.CreateCommand("SELECT size, root, note FROM log_checkpoints " + clause);
        if (size is { } value)
        {
            command.Parameters.AddWithValue("size", value);
        }

        using var reader = command.ExecuteReader();
        var checkpoints = new List<StoredCheckpoint>();
        while (reader.Read())
        {
            checkpoints.Add(new StoredCheckpoint(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetString(2)));
        }

        return checkpoints;
    }
}
