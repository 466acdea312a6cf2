using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// Runs before the sequencer and integrator start: the stored tree must match the latest stored checkpoint, whose
/// signature must verify with the hub key. Any disagreement stops the hub from starting rather than letting it sign a
/// second history.
/// </summary>
internal sealed partial class LogStartupCheck(
    ILogStore store,
    LogHead head,
    HubSigningKey key,
    IOptions<LogOptions> options,
    ILogger<LogStartupCheck> logger) : IHostedService
{
    /// <summary>How often the sizes are read again when another hub on the same database integrated between the two reads.</summary>
    private const int Attempts = 20;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var state = store.ReadState();
        var checkpoint = store.ReadLatestCheckpoint();
        for (var attempt = 1; attempt < Attempts && checkpoint is not null && checkpoint.Size != state.IntegratedSize; attempt++)
        {
            // Two reads, not one snapshot: on PostgreSQL another hub may have signed in between. Its commit moves both.
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            checkpoint = store.ReadLatestCheckpoint();
            state = store.ReadState();
        }

        if (state.IntegratedSize > state.SequencedSize)
        {
            throw Refuse($"the tree covers {state.IntegratedSize} entries but only {state.SequencedSize} are stored (entry files lost or cut short)");
        }

        if (checkpoint is null)
        {
            if (state.IntegratedSize != 0)
            {
                throw Refuse($"the tree covers {state.IntegratedSize} entries but no checkpoint is stored");
            }

            LogFresh(state.SequencedSize);
            return;
        }

        if (checkpoint.Size != state.IntegratedSize)
        {
            throw Refuse($"the latest checkpoint has size {checkpoint.Size} but the tree covers {state.IntegratedSize} entries");
        }

        var opened = SignedNote.Open(checkpoint.Note, [key.Verifier]);
        if (!opened.IsVerified || opened.VerifiedBy.Count == 0)
        {
            throw Refuse($"the latest checkpoint's signature does not verify with the hub key ({opened.Reason ?? "no known signature"})");
        }

        if (!Checkpoint.TryParse(opened.Text!, out var body, out var reason) || body.Origin != options.Value.Origin
            || body.Size != checkpoint.Size || !body.RootHash.AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            throw Refuse($"the latest checkpoint's body does not match its stored size and root ({reason ?? "mismatch"})");
        }

        var root = new TreeView(store.ReadTile).RootAt(checkpoint.Size);
        if (!root.AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            throw Refuse($"the stored tree's root at size {checkpoint.Size} is not the checkpoint's root");
        }

        head.Advance(checkpoint);
        LogVerified(checkpoint.Size, state.SequencedSize);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static InvalidOperationException Refuse(string why) =>
        new($"The hub will not start: {why}. Run 'log audit' to locate the damage; do not delete the checkpoint.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Log is new ({Sequenced} entries sequenced, none integrated)")]
    private partial void LogFresh(long sequenced);

    [LoggerMessage(Level = LogLevel.Information, Message = "Log verified at checkpoint size {Size}; {Sequenced} entries sequenced")]
    private partial void LogVerified(long size, long sequenced);
}
