namespace SupplyChain.Agent.Feedback;

/// <summary>The station's LEDs and buzzer (DESIGN.md §5 "feedback"): a hardware seam.</summary>
internal interface IFeedback
{
    /// <summary>Shows <paramref name="signal"/>; returns when the pattern has finished.</summary>
    ValueTask ShowAsync(Signal signal, CancellationToken cancellationToken);
}

/// <summary>No LEDs or buzzer configured: signals are only logged by the station.</summary>
internal sealed class NullFeedback : IFeedback
{
    public ValueTask ShowAsync(Signal signal, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
