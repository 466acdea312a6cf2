using Microsoft.Extensions.Options;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Custody;

/// <summary>
/// On PostgreSQL, applies the entries other hubs sequenced to this hub's <see cref="CustodyState"/> every
/// <see cref="LogOptions.FollowPeriod"/>, so its observers (alerts, recalls, the cold-chain board) follow the whole log
/// even while nobody asks this hub anything. Reads that go through the state catch up with the store themselves first;
/// this only bounds how far the observers lag. Does nothing on LiteDB, where every entry is this hub's.
/// </summary>
internal sealed partial class CustodyFollower(
    CustodyState state,
    IntegratorLease lease,
    IOptions<LogOptions> options,
    TimeProvider timeProvider,
    ILogger<CustodyFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!lease.IsShared)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.FollowPeriod, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                state.CatchUp();
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException)
            {
                // The database is away or an entry is not readable yet: the next period (or the next read) tries again.
                LogCatchUpFailed(exception.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The custody state could not follow the shared log: {Reason}")]
    private partial void LogCatchUpFailed(string reason);
}
