using System.Device.Gpio;
using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Feedback;

namespace SupplyChain.Agent.Tests.Feedback;

public sealed class GpioFeedbackTests
{
    private const int Green = 17;
    private const int Red = 27;
    private const int Buzzer = 22;

    [Fact]
    public void Create_Pins_OpenedAsOutputsAndLow()
    {
        var driver = new RecordingGpioDriver();

        using var feedback = Create(driver, new FakeTimeProvider());

        Assert.Equal(PinMode.Output, driver.OpenPins[Green]);
        Assert.Equal(PinMode.Output, driver.OpenPins[Red]);
        Assert.Equal(PinMode.Output, driver.OpenPins[Buzzer]);
        Assert.DoesNotContain(driver.Writes, w => w.Value == PinValue.High);
    }

    [Fact]
    public async Task Show_Red_RedLedAndBuzzerForTheWholePatternThenOff()
    {
        var driver = new RecordingGpioDriver();
        var time = new FakeTimeProvider();
        using var feedback = Create(driver, time);
        driver.Writes.Clear();

        var shown = feedback.ShowAsync(Signal.Red, CancellationToken.None).AsTask();
        Assert.Equal([(Red, PinValue.High), (Buzzer, PinValue.High)], driver.Writes);
        time.Advance(TimeSpan.FromMilliseconds(1199));
        Assert.False(shown.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await shown;

        Assert.Equal([(Red, PinValue.High), (Buzzer, PinValue.High), (Buzzer, PinValue.Low), (Red, PinValue.Low)], driver.Writes);
    }

    [Fact]
    public async Task Show_Green_GreenLedWithShortBeepThenOff()
    {
        var driver = new RecordingGpioDriver();
        var time = new FakeTimeProvider();
        using var feedback = Create(driver, time);
        driver.Writes.Clear();

        var shown = feedback.ShowAsync(Signal.Green, CancellationToken.None).AsTask();
        var elapsed = await RunToCompletionAsync(shown, time);

        Assert.Equal([(Green, PinValue.High), (Buzzer, PinValue.High), (Buzzer, PinValue.Low), (Green, PinValue.Low)], driver.Writes);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(600), $"green lasted {elapsed}");
    }

    [Fact]
    public async Task Show_ShortBeep_BuzzerOnlyNoLed()
    {
        var driver = new RecordingGpioDriver();
        var time = new FakeTimeProvider();
        using var feedback = Create(driver, time);
        driver.Writes.Clear();

        var shown = feedback.ShowAsync(Signal.ShortBeep, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(60));
        await shown;

        Assert.Equal([(Buzzer, PinValue.High), (Buzzer, PinValue.Low)], driver.Writes);
    }

    [Fact]
    public async Task Show_Cancelled_PinSwitchedOffAnyway()
    {
        var driver = new RecordingGpioDriver();
        using var feedback = Create(driver, new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();
        driver.Writes.Clear();

        var shown = feedback.ShowAsync(Signal.Blink, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => shown);
        Assert.Equal([(Green, PinValue.High), (Green, PinValue.Low)], driver.Writes);
    }

    [Fact]
    public void Validate_SamePinTwice_FailsNamingTheKeys()
    {
        var result = new FeedbackOptionsValidator().Validate(null, new FeedbackOptions { GreenLedPin = 5, BuzzerPin = 5 });

        Assert.True(result.Failed);
        Assert.Contains("Feedback:BuzzerPin", result.FailureMessage, StringComparison.Ordinal);
    }

    // Steps the fake clock 10 ms at a time, letting continuations run between steps, until the pattern ends.
    private static async Task<TimeSpan> RunToCompletionAsync(Task shown, FakeTimeProvider time)
    {
        var start = time.GetUtcNow();
        for (var step = 0; !shown.IsCompleted && step < 1000; step++)
        {
            await Task.Delay(2);
            if (!shown.IsCompleted)
            {
                time.Advance(TimeSpan.FromMilliseconds(10));
            }
        }

        await shown;
        return time.GetUtcNow() - start;
    }

    private static GpioFeedback Create(RecordingGpioDriver driver, TimeProvider time) =>
        new(new GpioController(driver), new FeedbackOptions { GreenLedPin = Green, RedLedPin = Red, BuzzerPin = Buzzer }, time);
}
