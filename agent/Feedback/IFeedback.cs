namespace SupplyChain.Agent.Feedback;

/// <summary>The station's LEDs and buzzer (DESIGN.md §5 "feedback"): a hardware seam.</summary>
internal interface IFeedback
{
    /// <summary>Shows <paramref name="signal"/>; returns when the pattern has finished.</summary>
    ValueTask ShowAsync(Signal signal, CancellationToken cancellationToken);

    /// <summary>
    /// Shows an outcome with its reason. Sinks that record the reason (the signal file) implement this; lights and
    /// buzzers only need the signal.
    /// </summary>
    ValueTask ShowAsync(ScanOutcome outcome, CancellationToken cancellationToken) => ShowAsync(outcome.Signal, cancellationToken);
}

/// <summary>No LEDs or buzzer configured: signals are only logged by the station.</summary>
internal sealed class NullFeedback : IFeedback
{
    public ValueTask ShowAsync(Signal signal, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
