using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Scanners;
using SupplyChain.Agent.Scanners.Evdev;

namespace SupplyChain.Agent.Tests.Scanners.Evdev;

/// <summary>
/// Drives the real reader (open, poll, read, reopen) against a regular file standing in for the device: a regular file is
/// always readable and ends, which the reader treats exactly like an unplugged scanner.
/// </summary>
public sealed class EvdevScanSourceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _directory = Directory.CreateTempSubdirectory("evdev-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private string DevicePath => Path.Combine(_directory, "usb-Scanner-event-kbd");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ReadScansAsync_DeviceGoneAndBack_ReopensByPathAfterBackoff()
    {
        await File.WriteAllBytesAsync(DevicePath, new EventStream(InputEventLayout.Bits64).Type("FIRST").Enter().Type("LOST").Bytes);
        var logger = new ListLogger<EvdevScanSource>();
        var source = new EvdevScanSource(Options(grab: false), _time, logger, new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), new Random(5)));
        using var cts = new CancellationTokenSource(Timeout);
        await using var scans = source.ReadScansAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await scans.MoveNextAsync());
        Assert.Equal("FIRST", scans.Current);

        File.Delete(DevicePath);
        var next = scans.MoveNextAsync().AsTask();
        await AdvanceUntilAsync(() => logger.Messages.Any(m => m.Contains("could not be opened", StringComparison.Ordinal)));
        Assert.False(next.IsCompleted);

        await File.WriteAllBytesAsync(DevicePath, new EventStream(InputEventLayout.Bits64).Type("SECOND").Enter().Bytes);
        await AdvanceUntilAsync(() => next.IsCompleted);

        Assert.True(await next);
        Assert.Equal("SECOND", scans.Current); // the unterminated "LOST" was not glued onto it
        Assert.Contains(logger.Messages, m => m.Contains("lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadScansAsync_GrabNotPossible_ReportsItAndRetries()
    {
        // EVIOCGRAB on a regular file fails with ENOTTY, as it would on a wrong path.
        await File.WriteAllBytesAsync(DevicePath, new EventStream(InputEventLayout.Bits64).Type("X").Enter().Bytes);
        var logger = new ListLogger<EvdevScanSource>();
        var source = new EvdevScanSource(Options(grab: true), _time, logger, new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), new Random(5)));
        using var cts = new CancellationTokenSource(Timeout);
        await using var scans = source.ReadScansAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var next = scans.MoveNextAsync().AsTask();
        await AdvanceUntilAsync(() => logger.Messages.Count(m => m.Contains("EVIOCGRAB failed", StringComparison.Ordinal)) >= 2);

        Assert.False(next.IsCompleted);
        await cts.CancelAsync();
        Assert.False(await next.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ReadScansAsync_SubstituteConfigured_AppliesIt()
    {
        Assert.True(Fnc1Substitute.TryCreate('~', out var tilde, out _));
        await File.WriteAllBytesAsync(DevicePath, new EventStream(InputEventLayout.Bits32).Type("10A~21B").Enter().Bytes);
        var options = Options(grab: false);
        options.Layout = InputEventLayout.Bits32;
        options.Fnc1Substitute = tilde;
        var source = new EvdevScanSource(options, _time, new ListLogger<EvdevScanSource>());
        using var cts = new CancellationTokenSource(Timeout);
        await using var scans = source.ReadScansAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await scans.MoveNextAsync());
        Assert.Equal("10A\u001D21B", scans.Current);
    }

    private EvdevScanSourceOptions Options(bool grab) => new() { DevicePath = DevicePath, Grab = grab, Layout = InputEventLayout.Bits64 };

    // The reader waits on the fake clock; move it a second at a time until the condition holds.
    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Timeout, "condition not reached in time");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
    }
}
