using System.Device.Gpio;
using SupplyChain.Agent.Outbox;

namespace SupplyChain.Agent.Feedback;

/// <summary>Builds the station's feedback from <see cref="FeedbackOptions"/>: signal file, GPIO, both, or none.</summary>
internal static class StationFeedback
{
    public static IFeedback Create(FeedbackOptions options, Func<AppendResult?> lastAppended, TimeProvider timeProvider) =>
        Create(options, lastAppended, timeProvider, () => new GpioController());

    public static IFeedback Create(FeedbackOptions options, Func<AppendResult?> lastAppended, TimeProvider timeProvider, Func<GpioController> gpio)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gpio);
        var sinks = new List<IFeedback>();

        // The file first: its line is written and flushed before the LED lights (SignalFile).
        if (options.HasSignalFile)
        {
            sinks.Add(SignalFile.Open(options.SignalFile!, lastAppended, timeProvider));
        }

        if (options.IsConfigured)
        {
            sinks.Add(new GpioFeedback(gpio(), options, timeProvider));
        }

        return sinks.Count switch
        {
            0 => new NullFeedback(),
            1 => sinks[0],
            _ => new CompositeFeedback(sinks),
        };
    }
}
