using System.Device.Gpio;

namespace SupplyChain.Agent.Feedback;

/// <summary>
/// LEDs and an active buzzer on GPIO pins driven high to switch on. Patterns: green 600 ms with a 100 ms beep; blink 80 ms;
/// short beep 60 ms; red 1.2 s with the buzzer on throughout. Unconfigured pins are skipped.
/// </summary>
internal sealed class GpioFeedback : IFeedback, IDisposable
{
    private readonly GpioController _controller;
    private readonly FeedbackOptions _options;
    private readonly TimeProvider _timeProvider;

    public GpioFeedback(GpioController controller, FeedbackOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(options);
        _controller = controller;
        _options = options;
        _timeProvider = timeProvider;
        foreach (var pin in new[] { options.GreenLedPin, options.RedLedPin, options.BuzzerPin }.OfType<int>())
        {
            _controller.OpenPin(pin, PinMode.Output, PinValue.Low);
        }
    }

    public async ValueTask ShowAsync(Signal signal, CancellationToken cancellationToken)
    {
        switch (signal)
        {
            case Signal.Green:
                Write(_options.GreenLedPin, PinValue.High);
                await PulseAsync(_options.BuzzerPin, TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
                await HoldAsync(_options.GreenLedPin, TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
                break;
            case Signal.Blink:
                await PulseAsync(_options.GreenLedPin, TimeSpan.FromMilliseconds(80), cancellationToken).ConfigureAwait(false);
                break;
            case Signal.ShortBeep:
                await PulseAsync(_options.BuzzerPin, TimeSpan.FromMilliseconds(60), cancellationToken).ConfigureAwait(false);
                break;
            case Signal.Red:
                Write(_options.RedLedPin, PinValue.High);
                await PulseAsync(_options.BuzzerPin, TimeSpan.FromMilliseconds(1200), cancellationToken).ConfigureAwait(false);
                Write(_options.RedLedPin, PinValue.Low);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(signal), signal, null);
        }
    }

    public void Dispose() => _controller.Dispose();

    private async ValueTask PulseAsync(int? pin, TimeSpan length, CancellationToken cancellationToken)
    {
        Write(pin, PinValue.High);
        await HoldAsync(pin, length, cancellationToken).ConfigureAwait(false);
    }

    // Switches the pin off after the delay even when cancelled, so no LED or buzzer stays on at shutdown.
    private async ValueTask HoldAsync(int? pin, TimeSpan length, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(length, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Write(pin, PinValue.Low);
        }
    }

    private void Write(int? pin, PinValue value)
    {
        if (pin is { } number)
        {
            _controller.Write(number, value);
        }
    }
}
