using Npgsql;

namespace SupplyChain.Hub.Storage;

/// <summary>
/// The hub's PostgreSQL schema, created and migrated by the hub itself: numbered steps recorded in
/// <c>coldtrace_schema</c>, each applied once in its own transaction. Hubs starting together take a transaction-level
/// advisory lock, so exactly one applies a step and the others see it done.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory-lock key for migrations ("ctschema").</summary>
    private const long MigrationLock = 0x6374736368656d61;

    // Append only: a released step never changes; a change is a new step.
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE log_meta (
            id          int PRIMARY KEY CHECK (id = 1),
            sequenced   bigint NOT NULL,
            integrated  bigint NOT NULL);
        INSERT INTO log_meta VALUES (1, 0, 0);
        CREATE TABLE log_entries (
            idx         bigint PRIMARY KEY,
            leaf_hash   bytea NOT NULL UNIQUE,
            leaf        bytea NOT NULL);
        CREATE TABLE log_tiles (
            tile_key    bigint PRIMARY KEY,
            hashes      bytea NOT NULL);
        CREATE TABLE log_checkpoints (
            size        bigint PRIMARY KEY,
            root        bytea NOT NULL,
            note        text NOT NULL);
        CREATE TABLE chain_heads (
            device      text PRIMARY KEY,
            seq         bigint NOT NULL,
            event_id    bytea NOT NULL);
        """,
        """
        CREATE TABLE devices (
            id              text PRIMARY KEY,
            public_key      bytea NOT NULL,
            site            text NOT NULL,
            role            text NOT NULL,
            password_hash   text NOT NULL,
            enrolled_at_ms  bigint NOT NULL,
            enrolled_index  bigint NOT NULL,
            revoked_at_ms   bigint,
            revoked_reason  text,
            revoked_index   bigint);
        CREATE TABLE users (
            name            text PRIMARY KEY,
            role            text NOT NULL,
            token_hash      text NOT NULL UNIQUE,
            created_ms      bigint NOT NULL,
            revoked_at_ms   bigint,
            site            text);
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int Version => Steps.Length;

    /// <summary>Applies the steps not yet applied; refuses a database written by a newer build.</summary>
    public static void Migrate(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", MigrationLock);
            lockCommand.ExecuteNonQuery();
        }

        // Under the lock: CREATE TABLE IF NOT EXISTS run by two sessions at once can still fail on the catalog's unique index.
        using (var create = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS coldtrace_schema (version int PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())", connection, transaction))
        {
            create.ExecuteNonQuery();
        }

        int current;
        using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM coldtrace_schema", connection, transaction))
        {
            current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > Steps.Length)
        {
            throw new InvalidOperationException($"The database's schema is version {current}; this hub knows up to {Steps.Length}. Run a newer hub.");
        }

        for (var version = current + 1; version <= Steps.Length; version++)
        {
            using var step = new NpgsqlCommand(Steps[version - 1], connection, transaction);
            step.ExecuteNonQuery();
            using var record = new NpgsqlCommand("INSERT INTO coldtrace_schema (version) VALUES (@version)", connection, transaction);
            record.Parameters.AddWithValue("version", version);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
