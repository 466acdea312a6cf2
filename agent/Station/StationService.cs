using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Scanners;

namespace SupplyChain.Agent.Station;

/// <summary>
/// The scanner hosted service: feeds each scan to <see cref="StationWorkflow"/> one at a time, closes an idle dock batch
/// after <see cref="StationOptions.BatchIdleTimeout"/> (on the injected clock) and shows each outcome on the feedback.
/// </summary>
internal sealed partial class StationService(
    IScanSource scanSource,
    StationWorkflow workflow,
    IFeedback feedback,
    IOptions<StationOptions> options,
    TimeProvider timeProvider,
    ILogger<StationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inputs = Channel.CreateUnbounded<Input>(new UnboundedChannelOptions { SingleReader = true });
        long generation = 0;

        var pump = PumpAsync(inputs.Writer, stoppingToken);
        try
        {
            await foreach (var input in inputs.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                // An idle tick names the input it followed, so a tick older than the latest scan cannot close the batch early.
                if (input.Scan is null && input.Generation != generation)
                {
                    continue;
                }

                var outcome = Process(input.Scan);
                generation++;
                if (workflow.HasOpenBatch)
                {
                    TickLater(inputs.Writer, generation, stoppingToken);
                }

                if (outcome is { } shown)
                {
                    LogOutcome(logger, shown.Signal, shown.Reason ?? string.Empty);
                    await ShowAsync(shown, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; an open batch was never confirmed to the operator, so nothing they heard is lost.
        }

        await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void TickLater(ChannelWriter<Input> writer, long generation, CancellationToken stoppingToken) =>
        _ = Task.Delay(options.Value.BatchIdleTimeout, timeProvider, stoppingToken)
            .ContinueWith(_ => writer.TryWrite(new Input(null, generation)), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private async ValueTask ShowAsync(ScanOutcome outcome, CancellationToken stoppingToken)
    {
        try
        {
            await feedback.ShowAsync(outcome, stoppingToken).ConfigureAwait(false);
        }

        // A dead LED or GPIO error must not stop the station: events are still recorded, and the journal says why.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFeedbackFailed(logger, outcome.Signal, e);
        }
    }

    private ScanOutcome? Process(string? scan)
    {
        try
        {
            return scan is null ? workflow.CloseIdleBatch() : workflow.Handle(scan);
        }

        // Top of the scan loop: a failing disk must not stop the station; the operator gets red and the log the cause.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e);
            return ScanOutcome.Red("the outbox could not store the event");
        }
    }

    private async Task PumpAsync(ChannelWriter<Input> writer, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var scan in scanSource.ReadScansAsync(stoppingToken).ConfigureAwait(false))
            {
                await writer.WriteAsync(new Input(scan, 0), stoppingToken).ConfigureAwait(false);
            }

            LogSourceEnded(logger);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scan outcome {Signal} {Reason}")]
    private static partial void LogOutcome(ILogger logger, Signal signal, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scan could not be processed")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feedback {Signal} could not be shown")]
    private static partial void LogFeedbackFailed(ILogger logger, Signal signal, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The scanner source ended; no more scans until restart")]
    private static partial void LogSourceEnded(ILogger logger);

    private readonly record struct Input(string? Scan, long Generation);
}
