using System.Collections.Concurrent;
using System.Device.Gpio;

namespace SupplyChain.Agent.Tests.Feedback;

/// <summary>A GPIO driver that records every pin write, like dotnet/iot's simulated devices record bus traffic.</summary>
internal sealed class RecordingGpioDriver : GpioDriver
{
    private readonly ConcurrentDictionary<int, PinMode> _modes = new();

    public ConcurrentQueue<(int Pin, PinValue Value)> Writes { get; } = new();

    public IReadOnlyDictionary<int, PinMode> OpenPins => _modes;

    protected override int PinCount => 28;

    protected override void OpenPin(int pinNumber) => _modes[pinNumber] = PinMode.Input;

    protected override void ClosePin(int pinNumber) => _modes.TryRemove(pinNumber, out _);

    protected override void SetPinMode(int pinNumber, PinMode mode) => _modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => _modes[pinNumber];

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => PinValue.Low;

    protected override void Write(int pinNumber, PinValue value) => Writes.Enqueue((pinNumber, value));

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException();

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException();
}
