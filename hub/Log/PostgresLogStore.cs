using Npgsql;
using NpgsqlTypes;

namespace SupplyChain.Hub.Log;

/// <summary>
/// The log in PostgreSQL (tables of <see cref="Storage.PostgresSchema"/>), the backend for hubs that outgrow one LiteDB
/// file. A sequencing batch is one transaction, as in Trillian's and Tessera's database backends: take the row lock on
/// <c>log_meta</c> (so hubs sharing the database hand out indexes one batch at a time), look the batch's leaf hashes
/// up, insert the new entries under the unique leaf-hash constraint, move the counter, commit. PostgreSQL's commit is
/// durable (WAL fsync) before it returns, so an index is acknowledged only once it is on disk.
/// </summary>
internal sealed class PostgresLogStore(NpgsqlDataSource dataSource) : ILogStore
{
    public LogState ReadState()
    {
        using var command = dataSource.CreateCommand("SELECT sequenced, integrated FROM log_meta WHERE id = 1");
        using var reader = command.ExecuteReader();
        return reader.Read() ? new LogState(reader.GetInt64(0), reader.GetInt64(1)) : throw new InvalidOperationException("log_meta has no row: the schema was not created.");
    }

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

        transaction.Commit();
        return results;
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
