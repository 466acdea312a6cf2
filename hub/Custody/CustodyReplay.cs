namespace SupplyChain.Hub.Custody;

/// <summary>
/// Rebuilds the custody state from the whole log at start (DESIGN §6), before ingest takes events, so the first ack's
/// verdict already stands on every earlier fact. Registered before the ingest and broker services.
/// </summary>
internal sealed partial class CustodyReplay(CustodyState state, TimeProvider timeProvider, ILogger<CustodyReplay> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var applied = state.CatchUp();
        var elapsed = timeProvider.GetElapsedTime(started);
        LogReplayed(applied, elapsed.TotalMilliseconds);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Custody state rebuilt from {Entries} log entries in {Milliseconds:F0} ms")]
    private partial void LogReplayed(long entries, double milliseconds);
}
