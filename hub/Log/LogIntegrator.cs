using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// Folds sequenced entries into the tree and signs a checkpoint, at a fixed period (Tessera's "integration"). Before it
/// signs, it proves the new tree consistent with the last checkpoint with the contracts verifier: the hub must never sign
/// two checkpoints of which one is not a prefix of the other. With several hubs on one database only the holder of the
/// <see cref="IntegratorLease"/> integrates, always from the stored tree and latest stored checkpoint, never from what
/// it remembers: another hub may have signed since.
/// </summary>
internal sealed partial class LogIntegrator(
    ILogStore store,
    LogHead head,
    IntegratorLease lease,
    HubSigningKey key,
    IOptions<LogOptions> options,
    TimeProvider timeProvider,
    ILogger<LogIntegrator> logger) : BackgroundService
{
    /// <summary>Integrates everything sequenced so far; returns the size of the newest checkpoint.</summary>
    public long IntegrateOnce()
    {
        var state = store.ReadState();
        var last = lease.IsShared ? store.ReadLatestCheckpoint() : head.Current ?? store.ReadLatestCheckpoint();
        if (lease.IsShared && last is not null && !SignedNote.Open(last.Note, [key.Verifier]).IsVerified)
        {
            // Another instance signed with another key (its hub.key was not copied here): signing on would mix two keys
            // in one log. Step down; an instance with the log's key integrates.
            throw new IntegrationFencedException(
                $"The latest checkpoint (size {last.Size}) does not verify with this hub's key; copy hub.key from the instance that signed it.");
        }
        if (last is null)
        {
            // The first start: an empty log still gets a signed checkpoint, so readers always have one.
            last = Commit(new TreeAppender(store.ReadTile, 0), previous: null);
        }

        var leafHash = new byte[Rfc9162.HashSize];
        while (last.Size < state.SequencedSize)
        {
            var count = (int)Math.Min(state.SequencedSize - last.Size, options.Value.IntegrationChunk);
            var entries = store.ReadEntries(last.Size, count);
            var appender = new TreeAppender(store.ReadTile, last.Size);
            foreach (var entry in entries)
            {
                if (entry.Index != appender.Size)
                {
                    throw new InvalidOperationException($"Entry {appender.Size} is missing from the store (found {entry.Index}).");
                }

                Rfc9162.HashLeaf(entry.Leaf, leafHash);
                appender.Append(leafHash);
            }

            last = Commit(appender, last);
        }

        return last.Size;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointPeriod, timeProvider);
        try
        {
            do
            {
                if (!lease.TryHold())
                {
                    // Another hub integrates; try to take over next period.
                    continue;
                }

                try
                {
                    IntegrateOnce();
                }
                catch (Exception exception) when (exception is IOException or LiteDB.LiteException or UnauthorizedAccessException or Npgsql.NpgsqlException)
                {
                    // Storage trouble: the last checkpoint stays valid and entries stay sequenced; try again next period.
                    LogIntegrationFailed(exception);
                }
                catch (IntegrationFencedException exception)
                {
                    // Another hub integrated past us: our lease was lost without our noticing. Nothing was signed; step down.
                    LogFenced(exception.Message);
                    lease.Release();
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            // A clean stop hands the log to another hub at its next try instead of when our session times out.
            lease.Release();
        }
    }

    private StoredCheckpoint Commit(TreeAppender appender, StoredCheckpoint? previous)
    {
        var view = new TreeView(appender.ReadTile);
        var root = view.RootAt(appender.Size);
        if (previous is not null && previous.Size > 0)
        {
            var proof = view.ConsistencyProof(previous.Size, appender.Size);
            var check = MerkleProof.VerifyConsistency(previous.Size, appender.Size, proof, previous.RootHash, root);
            if (!check.IsValid)
            {
                throw new InvalidOperationException(
                    $"Refusing to sign size {appender.Size}: not consistent with the checkpoint at size {previous.Size} ({check.Reason}).");
            }
        }

        var body = new Checkpoint(options.Value.Origin, appender.Size, root).ToBody();
        var checkpoint = new StoredCheckpoint(appender.Size, root, SignedNote.Sign(body, key.Signer));
        store.Integrate(appender.ChangedTiles(), checkpoint);
        head.Set(checkpoint);
        LogCheckpointSigned(appender.Size);
        return checkpoint;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Signed checkpoint at size {Size}")]
    private partial void LogCheckpointSigned(long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Integration refused by the store, stepping down: {Reason}")]
    private partial void LogFenced(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Integration failed; the last checkpoint stands and the next period retries")]
    private partial void LogIntegrationFailed(Exception exception);
}
