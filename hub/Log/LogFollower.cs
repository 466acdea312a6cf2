using Microsoft.Extensions.Options;

namespace SupplyChain.Hub.Log;

/// <summary>
/// On PostgreSQL, keeps this hub's <see cref="LogHead"/> at the latest checkpoint in the store, whichever hub signed it
/// (docs/OPERATIONS.md "Several hub instances"): proofs, tiles and the retained checkpoint of every hub follow the
/// integrator within <see cref="LogOptions.FollowPeriod"/>. Does nothing on LiteDB, where this hub signs every checkpoint.
/// </summary>
internal sealed partial class LogFollower(
    ILogStore store,
    LogHead head,
    IntegratorLease lease,
    IOptions<LogOptions> options,
    TimeProvider timeProvider,
    ILogger<LogFollower> logger) : BackgroundService
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
                if (store.ReadLatestCheckpoint() is { } latest)
                {
                    head.Advance(latest);
                }
            }
            catch (Npgsql.NpgsqlException exception)
            {
                // The database is away: readers keep the last checkpoint, which stays valid; next period tries again.
                LogFollowFailed(exception.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the latest checkpoint from the shared store: {Reason}")]
    private partial void LogFollowFailed(string reason);
}
