using System.Text;
using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Broker;

/// <summary>
/// Keeps <c>coldtrace/v1/checkpoint</c> (retained) at the latest signed checkpoint note (PROTOCOL.md §4.2–4.3), so an
/// agent that connects gets it at once and can check proofs offline.
/// </summary>
internal sealed partial class CheckpointPublisher(
    EmbeddedBroker broker,
    LogHead head,
    IOptions<BrokerOptions> brokerOptions,
    IOptions<LogOptions> logOptions,
    TimeProvider timeProvider,
    ILogger<CheckpointPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!brokerOptions.Value.Enabled)
        {
            return;
        }

        long published = -1;
        using var timer = new PeriodicTimer(logOptions.Value.CheckpointPeriod, timeProvider);
        try
        {
            do
            {
                if (head.Current is { } checkpoint && checkpoint.Size != published)
                {
                    try
                    {
                        await broker.PublishAsync(ColdTraceTopic.CheckpointTopic, Encoding.UTF8.GetBytes(checkpoint.Note), retain: true, stoppingToken);
                        published = checkpoint.Size;
                    }
                    catch (InvalidOperationException exception)
                    {
                        // The broker is not up (yet, or any more): the next tick tries again.
                        LogPublishFailed(exception);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not publish the checkpoint")]
    private partial void LogPublishFailed(Exception exception);
}
