using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Audit;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Storage;

/// <summary>
/// Copies a stopped LiteDB hub into an empty PostgreSQL database (docs/OPERATIONS.md "Moving from LiteDB to
/// PostgreSQL"): every log entry at its index, the tiles, every signed checkpoint, the log counters, chain heads, devices
/// and users, in one transaction with COPY. Before committing it reads the copy back and recomputes the RFC 9162 root
/// from the copied entries; it commits only when that root is the latest signed checkpoint's and every count matches.
/// Then it audits the committed copy (<see cref="LogAudit"/>) and empties the target again if the audit fails. An
/// interrupted run commits nothing, so the target stays empty and the command can simply be run again.
/// </summary>
internal sealed class StorageMigration(TextWriter output, TimeProvider time)
{
    private const int Chunk = 4096;

    // Every table the copy writes; log_meta is the one-row counter, reset rather than emptied.
    private static readonly string[] Tables = ["log_entries", "log_tiles", "log_checkpoints", "chain_heads", "devices", "users"];

    private static readonly CultureInfo Text = CultureInfo.InvariantCulture;

    private readonly TimeSpan _progressEvery = TimeSpan.FromSeconds(2);

    public MigrationResult Run(LiteDbHubFiles source, NpgsqlDataSource target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var started = time.GetTimestamp();
        var state = source.Log.ReadState();
        var latest = source.Log.ReadLatestCheckpoint();
        if (CheckSourceHead(source, state, latest) is { } bad)
        {
            return MigrationResult.Mismatch(bad);
        }

        var counts = new MigrationCounts(state.SequencedSize, 0, 0, source.ChainHeads.Count, source.Devices.Count, source.Users.Count);
        using (var connection = target.OpenConnection())
        using (var transaction = connection.BeginTransaction())
        {
            // The counter row's lock keeps any hub started on the target from sequencing until this commits or rolls back.
            Execute(connection, "SELECT sequenced FROM log_meta WHERE id = 1 FOR UPDATE");
            if (NonEmptyTables(connection) is { Count: > 0 } full)
            {
                return MigrationResult.Refused(
                    $"the PostgreSQL database is not empty ({string.Join(", ", full)} hold rows); migrate only into a new, empty database");
            }

            output.WriteLine(string.Create(Text, $"copying {state.SequencedSize:N0} log entries ({state.IntegratedSize:N0} in the signed tree) to PostgreSQL"));
            CopyEntries(connection, source.Log, state.SequencedSize, cancellationToken);
            var tiles = CopyTiles(connection, source.Log, state.IntegratedSize, out var missingTile);
            if (missingTile is not null)
            {
                return MigrationResult.Mismatch($"the source log has no {missingTile}, which its tree of size {state.IntegratedSize} needs; run 'log audit' on it");
            }

            var checkpoints = CopyCheckpoints(connection, source.Log.ReadCheckpoints());
            using (var meta = new NpgsqlCommand("UPDATE log_meta SET sequenced = @sequenced, integrated = @integrated WHERE id = 1", connection))
            {
                meta.Parameters.AddWithValue("sequenced", state.SequencedSize);
                meta.Parameters.AddWithValue("integrated", state.IntegratedSize);
                meta.ExecuteNonQuery();
            }

            PostgresChainHeadStore.Import(connection, source.ChainHeads);
            PostgresDeviceRegistry.Import(connection, source.Devices);
            PostgresUserStore.Import(connection, source.Users);
            counts = counts with { Tiles = tiles, Checkpoints = checkpoints };
            var copied = time.GetElapsedTime(started);
            output.WriteLine(string.Create(Text,
                $"copied {counts.Entries:N0} entries in {copied.TotalSeconds:F1} s ({Rate(counts.Entries, copied)}), {tiles:N0} tiles, {checkpoints:N0} checkpoints, {counts.ChainHeads:N0} chain heads, {counts.Devices:N0} devices, {counts.Users:N0} users"));

            if (VerifyCopy(connection, counts, latest, cancellationToken) is { } mismatch)
            {
                return MigrationResult.Mismatch(mismatch + "; nothing was committed, the database is still empty");
            }

            transaction.Commit();
        }

        output.WriteLine("committed; auditing the PostgreSQL copy (every leaf hash, tile, checkpoint signature and consistency)");
        AuditReport report;
        try
        {
            report = new LogAudit(new PostgresLogStore(target), source.Key.Verifier, source.Origin).Run(new AuditLines(output, time, _progressEvery), cancellationToken);
        }
        catch
        {
            // Cancelled or the database gone during the audit: an unaudited copy is not left behind as if it were good.
            Empty(target);
            throw;
        }

        if (!report.IsClean)
        {
            Empty(target);
            return MigrationResult.Mismatch($"the audit of the PostgreSQL copy failed at entry {report.FailedIndex?.ToString(Text) ?? "-"}: {report.Failure}; the database was emptied again");
        }

        var total = time.GetElapsedTime(started);
        output.WriteLine(string.Create(Text, $"audit clean: {report.Entries:N0} entries, {report.Checkpoints:N0} checkpoints"));
        return MigrationResult.Done(counts, latest, total);
    }

    /// <summary>The source's own head must hold before anything is copied: its latest checkpoint signed by its key.</summary>
    private static string? CheckSourceHead(LiteDbHubFiles source, LogState state, StoredCheckpoint? latest)
    {
        if (latest is null)
        {
            return state.IntegratedSize == 0 ? null : $"the source's tree covers {state.IntegratedSize} entries but it has no checkpoint";
        }

        if (latest.Size != state.IntegratedSize)
        {
            return $"the source's latest checkpoint has size {latest.Size} but its tree covers {state.IntegratedSize} entries";
        }

        var opened = SignedNote.Open(latest.Note, [source.Key.Verifier]);
        if (!opened.IsVerified || opened.VerifiedBy.Count == 0
            || !Checkpoint.TryParse(opened.Text!, out var body, out _)
            || body.Size != latest.Size || !body.RootHash.AsSpan().SequenceEqual(latest.RootHash))
        {
            return $"the source's latest checkpoint (size {latest.Size}) does not verify with the hub key in the data directory";
        }

        return null;
    }

    private static List<string> NonEmptyTables(NpgsqlConnection connection)
    {
        var full = new List<string>();
        foreach (var table in Tables)
        {
            using var probe = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table})", connection);
            if ((bool)probe.ExecuteScalar()!)
            {
                full.Add(table);
            }
        }

        using var meta = new NpgsqlCommand("SELECT sequenced + integrated FROM log_meta WHERE id = 1", connection);
        if (meta.ExecuteScalar() is not 0L)
        {
            full.Add("log_meta");
        }

        return full;
    }

    private void CopyEntries(NpgsqlConnection connection, ILogStore log, long total, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var reported = started;
        using var writer = connection.BeginBinaryImport("COPY log_entries (idx, leaf_hash, leaf) FROM STDIN (FORMAT BINARY)");
        for (long start = 0; start < total; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = log.ReadEntries(start, (int)Math.Min(Chunk, total - start));
            foreach (var entry in entries)
            {
                writer.StartRow();
                writer.Write(entry.Index, NpgsqlDbType.Bigint);
                writer.Write(entry.LeafHash, NpgsqlDbType.Bytea);
                writer.Write(entry.Leaf, NpgsqlDbType.Bytea);
            }

            var done = Math.Min(start + Chunk, total);
            if (time.GetElapsedTime(reported) >= _progressEvery || done == total)
            {
                reported = time.GetTimestamp();
                var elapsed = time.GetElapsedTime(started);
                output.WriteLine(string.Create(Text, $"  entries {done:N0} / {total:N0} ({100.0 * done / total:F1} %), {Rate(done, elapsed)}"));
            }
        }

        writer.Complete();
    }

    /// <summary>Every tile of the tree of size <paramref name="size"/> (C2SP tlog-tiles: tile level L holds tree level 8·L).</summary>
    private static long CopyTiles(NpgsqlConnection connection, ILogStore log, long size, out TileId? missing)
    {
        missing = null;
        long count = 0;
        using var writer = connection.BeginBinaryImport("COPY log_tiles (tile_key, hashes) FROM STDIN (FORMAT BINARY)");
        for (var level = 0; size >> (TileId.Height * level) > 0; level++)
        {
            var nodes = size >> (TileId.Height * level);
            for (long index = 0; index <= (nodes - 1) >> TileId.Height; index++)
            {
                var id = new TileId(level, index);
                if (log.ReadTile(id) is not { } hashes)
                {
                    missing = id;
                    return count;
                }

                writer.StartRow();
                writer.Write(id.Key, NpgsqlDbType.Bigint);
                writer.Write(hashes, NpgsqlDbType.Bytea);
                count++;
            }
        }

        writer.Complete();
        return count;
    }

    private static long CopyCheckpoints(NpgsqlConnection connection, IEnumerable<StoredCheckpoint> checkpoints)
    {
        using var writer = connection.BeginBinaryImport("COPY log_checkpoints (size, root, note) FROM STDIN (FORMAT BINARY)");
        foreach (var checkpoint in checkpoints)
        {
            writer.StartRow();
            writer.Write(checkpoint.Size, NpgsqlDbType.Bigint);
            writer.Write(checkpoint.RootHash, NpgsqlDbType.Bytea);
            writer.Write(checkpoint.Note, NpgsqlDbType.Text);
        }

        return (long)writer.Complete();
    }

    /// <summary>
    /// Reads the copied entries back in index order: consecutive indexes, each leaf hashing to its stored leaf hash, and
    /// the RFC 9162 root of the first <c>latest.Size</c> leaves equal to the latest signed checkpoint's root. Then the
    /// row counts of every other table.
    /// </summary>
    private string? VerifyCopy(NpgsqlConnection connection, MigrationCounts counts, StoredCheckpoint? latest, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var reported = started;
        var range = new CompactRange();
        string? firstBadLeaf = null;
        long expected = 0;
        var leafHash = new byte[Rfc9162.HashSize];
        using (var reader = connection.BeginBinaryExport("COPY (SELECT idx, leaf_hash, leaf FROM log_entries ORDER BY idx) TO STDOUT (FORMAT BINARY)"))
        {
            while (reader.StartRow() != -1)
            {
                var index = reader.Read<long>(NpgsqlDbType.Bigint);
                var stored = reader.Read<byte[]>(NpgsqlDbType.Bytea);
                var leaf = reader.Read<byte[]>(NpgsqlDbType.Bytea);
                if (index != expected)
                {
                    return $"verification failed: the copy has entry {index} where entry {expected} belongs";
                }

                Rfc9162.HashLeaf(leaf, leafHash);
                if (firstBadLeaf is null && !leafHash.AsSpan().SequenceEqual(stored))
                {
                    firstBadLeaf = $"entry {index}'s bytes do not hash to its stored leaf hash";
                }

                if (latest is not null && index < latest.Size)
                {
                    range.Append(leafHash);
                }

                expected++;
                if ((expected % (Chunk * 16) == 0 && time.GetElapsedTime(reported) >= _progressEvery) || expected == counts.Entries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    reported = time.GetTimestamp();
                    output.WriteLine(string.Create(Text, $"  verified {expected:N0} / {counts.Entries:N0}, {Rate(expected, time.GetElapsedTime(started))}"));
                }
            }
        }

        if (expected != counts.Entries)
        {
            return string.Create(Text, $"verification failed: the copy holds {expected:N0} entries, the source {counts.Entries:N0}");
        }

        if (latest is not null)
        {
            var root = range.Root();
            if (!root.AsSpan().SequenceEqual(latest.RootHash))
            {
                return $"verification failed: the root of the copied entries at size {latest.Size} is {Convert.ToBase64String(root)}, " +
                    $"the latest signed checkpoint's is {Convert.ToBase64String(latest.RootHash)}" + (firstBadLeaf is null ? string.Empty : $" ({firstBadLeaf})");
            }

            output.WriteLine($"root of the copied entries at size {latest.Size}: {Convert.ToBase64String(root)} = the latest signed checkpoint's root");
        }

        if (firstBadLeaf is not null)
        {
            return $"verification failed: {firstBadLeaf}";
        }

        (string Table, long Expected)[] rows =
        [
            ("log_tiles", counts.Tiles), ("log_checkpoints", counts.Checkpoints), ("chain_heads", counts.ChainHeads),
            ("devices", counts.Devices), ("users", counts.Users),
        ];
        foreach (var (table, want) in rows)
        {
            using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            if ((long)count.ExecuteScalar()! is var have && have != want)
            {
                return string.Create(Text, $"verification failed: {table} holds {have:N0} rows, the source {want:N0}");
            }
        }

        return null;
    }

    /// <summary>Makes the target empty again after a committed copy failed its audit, so a later run is not refused.</summary>
    private static void Empty(NpgsqlDataSource target)
    {
        using var command = target.CreateCommand(
            $"TRUNCATE {string.Join(", ", Tables)}; UPDATE log_meta SET sequenced = 0, integrated = 0 WHERE id = 1");
        command.ExecuteNonQuery();
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static string Rate(long count, TimeSpan elapsed) =>
        string.Create(Text, $"{(elapsed > TimeSpan.Zero ? count / elapsed.TotalSeconds : 0):N0} entries/s");

    /// <summary>The audit's progress as a line every few seconds, written at once (no synchronisation context).</summary>
    private sealed class AuditLines(TextWriter output, TimeProvider time, TimeSpan every) : IProgress<AuditProgress>
    {
        private readonly long _started = time.GetTimestamp();
        private long _reported = time.GetTimestamp();

        public void Report(AuditProgress value)
        {
            if (time.GetElapsedTime(_reported) < every && value.Done != value.Total)
            {
                return;
            }

            _reported = time.GetTimestamp();
            output.WriteLine(string.Create(Text, $"  audited {value.Done:N0} / {value.Total:N0}, {Rate(value.Done, time.GetElapsedTime(_started))}"));
        }
    }
}

/// <summary>What a migration copied.</summary>
internal sealed record MigrationCounts(long Entries, long Tiles, long Checkpoints, int ChainHeads, int Devices, int Users);

/// <summary>How a migration ended: done, refused before copying (exit 2), or a copy that did not verify (exit 1).</summary>
internal sealed record MigrationResult(int ExitCode, string? Error, MigrationCounts? Counts, StoredCheckpoint? Checkpoint, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public static MigrationResult Done(MigrationCounts counts, StoredCheckpoint? checkpoint, TimeSpan elapsed) => new(0, null, counts, checkpoint, elapsed);

    public static MigrationResult Mismatch(string error) => new(1, error, null, null, TimeSpan.Zero);

    public static MigrationResult Refused(string error) => new(2, error, null, null, TimeSpan.Zero);
}
