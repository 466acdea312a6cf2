using Microsoft.Extensions.Options;

namespace SupplyChain.Agent.Outbox;

/// <summary>
/// Copies the custody journal into the outbox store every <see cref="OutboxOptions.JournalMoveInterval"/>
/// (<see cref="EventOutbox.MoveJournal"/>). Delivery does the same at every turn; this keeps the journal short while
/// delivery is off, connecting or waiting on a slow hub, so `status` and a restart find the events in the store.
/// </summary>
internal sealed class JournalMoverService(EventOutbox outbox, IOptions<OutboxOptions> options, TimeProvider timeProvider) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.JournalMoveInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // MoveJournal handles the store's failures itself (it closes the store and reopens it later).
            outbox.MoveJournal();
        }
    }
}
