namespace SupplyChain.Agent.Feedback;

/// <summary>
/// Several sinks shown one after another, in the order given. The signal file comes first, so the audit line is on disk
/// before the LED lights and the buzzer sounds.
/// </summary>
internal sealed class CompositeFeedback(IReadOnlyList<IFeedback> sinks) : IFeedback, IDisposable
{
    public IReadOnlyList<IFeedback> Sinks { get; } = sinks;

    public ValueTask ShowAsync(Signal signal, CancellationToken cancellationToken) =>
        ShowAsync(new ScanOutcome(signal), cancellationToken);

    public async ValueTask ShowAsync(ScanOutcome outcome, CancellationToken cancellationToken)
    {
        foreach (var sink in Sinks)
        {
            await sink.ShowAsync(outcome, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var sink in Sinks.OfType<IDisposable>())
        {
            sink.Dispose();
        }
    }
}
