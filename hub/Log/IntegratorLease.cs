using Npgsql;

namespace SupplyChain.Hub.Log;

/// <summary>
/// Which hub integrates and signs (docs/OPERATIONS.md "Several hub instances"). On PostgreSQL several hubs share one log,
/// and exactly one of them may extend the tree at a time: the one holding the session-level advisory lock
/// <see cref="LockKey"/> on a connection it keeps open for as long as it leads. The others try again each checkpoint
/// period; when the leader dies (even by SIGKILL) PostgreSQL ends its session, the lock is free, and the next try of
/// another hub takes it. On LiteDB there is one hub and it always leads.
/// </summary>
internal sealed partial class IntegratorLease(NpgsqlDataSource? dataSource, TimeProvider timeProvider, ILogger<IntegratorLease> logger) : IDisposable
{
    /// <summary>The advisory-lock key ("ctintegr"), beside the migration lock of <see cref="Storage.PostgresSchema"/>.</summary>
    public const long LockKey = 0x6374696e74656772;

    private NpgsqlConnection? _connection;
    private long _heldSince;

    /// <summary>Whether other hubs may share the log (PostgreSQL), so that leading must be won and the store re-read.</summary>
    public bool IsShared => dataSource is not null;

    /// <summary>Whether this hub leads now (as of the last <see cref="TryHold"/>).</summary>
    public bool IsHeld => !IsShared || Volatile.Read(ref _connection) is not null;

    /// <summary>
    /// Keeps the lease or tries to win it; true when this hub may integrate until the next call. A held lease is checked
    /// with a round trip on its connection: a lost session means the lock may already be another hub's.
    /// </summary>
    public bool TryHold()
    {
        if (dataSource is null)
        {
            return true;
        }

        try
        {
            if (_connection is { } held)
            {
                using var ping = new NpgsqlCommand("SELECT 1", held);
                ping.ExecuteScalar();
                return true;
            }

            var connection = dataSource.OpenConnection();
            using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
            {
                take.Parameters.AddWithValue("key", LockKey);
                if (take.ExecuteScalar() is not true)
                {
                    connection.Dispose();
                    return false;
                }
            }

            Volatile.Write(ref _connection, connection);
            _heldSince = timeProvider.GetTimestamp();
            LogWon();
            return true;
        }
        catch (NpgsqlException exception)
        {
            // The database is unreachable or our session ended: whatever we held is gone; try again next period.
            LogLost(exception.Message);
            Drop();
            return false;
        }
    }

    /// <summary>Steps down: unlocks if the session still lives and closes it, so another hub can take over at once.</summary>
    public void Release()
    {
        if (_connection is not { } connection)
        {
            return;
        }

        try
        {
            using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", LockKey);
            unlock.ExecuteScalar();
            var held = timeProvider.GetElapsedTime(_heldSince);
            LogReleased(held.TotalSeconds);
        }
        catch (NpgsqlException exception)
        {
            // Closing the connection below ends the session, which frees the lock anyway.
            LogLost(exception.Message);
        }

        Drop();
    }

    public void Dispose() => Release();

    private void Drop()
    {
        var connection = Interlocked.Exchange(ref _connection, null);
        connection?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This hub now integrates the log and signs checkpoints (advisory lock won)")]
    private partial void LogWon();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The integrator's advisory lock is lost or could not be taken: {Reason}")]
    private partial void LogLost(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "This hub stopped integrating after {Seconds:F0} s (advisory lock released)")]
    private partial void LogReleased(double seconds);
}
