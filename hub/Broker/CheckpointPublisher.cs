using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Broker;

/// <summary>
/// Keeps <c>coldtrace/v1/checkpoint</c> (retained) at the latest signed checkpoint note (PROTOCOL.md §4.2–4.3), so an
/// agent that connects gets it at once and can check proofs offline. Publishes as soon as the integrator signs a new
/// checkpoint (waiting for a timer of its own added up to a period to every event's scan-to-checkpoint time,
/// docs/BENCHMARKS.md "Whole system"), retries each period after a failure, and publishes again whenever the hub's path
/// to the broker is new: an external broker that restarted may have lost its retained messages (firmware-config/mosquitto).
/// With several hub instances only the one that integrates publishes (<see cref="IntegratorLease.IsHeld"/>): the others
/// follow the store a little later and would otherwise put an older checkpoint back over a newer one for a moment.
/// </summary>
internal sealed partial class CheckpointPublisher(
    IHubPublisher broker,
    LogHead head,
    IntegratorLease lease,
    IOptions<BrokerOptions> brokerOptions,
    IOptions<LogOptions> logOptions,
    TimeProvider timeProvider,
    ILogger<CheckpointPublisher> logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _published = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!brokerOptions.Value.Enabled)
        {
            return;
        }

        broker.Connected += OnConnected;
        head.Changed += OnHeadChanged;
        try
        {
            do
            {
                if (head.Current is { } checkpoint && lease.IsHeld && checkpoint.Size != Interlocked.Read(ref _published))
                {
                    try
                    {
                        await broker.PublishAsync(ColdTraceTopic.CheckpointTopic, Encoding.UTF8.GetBytes(checkpoint.Note), retain: true, stoppingToken);
                        Interlocked.Exchange(ref _published, checkpoint.Size);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        // The broker is not up (yet, or any more) or dropped the connection mid-publish (an MQTTnet or
                        // socket exception): the next tick tries again.
                        LogPublishFailed(exception);
                    }
                }
            }
            while (await WakeAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            broker.Connected -= OnConnected;
            head.Changed -= OnHeadChanged;
        }
    }

    /// <summary>Waits for a new checkpoint or a new broker path, or one period (the retry after a failed publish).</summary>
    private async Task<bool> WakeAsync(CancellationToken stoppingToken)
    {
        using var timer = new CancellationTokenSource(logOptions.Value.CheckpointPeriod, timeProvider);
        using var period = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
        try
        {
            await _wake.Reader.ReadAsync(period.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The period passed without news: look again anyway.
        }

        return true;
    }

    private void OnHeadChanged() => _wake.Writer.TryWrite(true);

    private void OnConnected(object? sender, EventArgs args)
    {
        Interlocked.Exchange(ref _published, -1);
        _wake.Writer.TryWrite(true);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not publish the checkpoint")]
    private partial void LogPublishFailed(Exception exception);
}
