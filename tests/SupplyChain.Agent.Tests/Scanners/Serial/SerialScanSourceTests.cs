using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Scanners;
using SupplyChain.Agent.Scanners.Serial;

namespace SupplyChain.Agent.Tests.Scanners.Serial;

/// <summary>The serial reader against a real tty: a pseudo-terminal, whose slave side System.IO.Ports opens like a CDC-ACM port.</summary>
public sealed class SerialScanSourceTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _directory = Directory.CreateTempSubdirectory("serial-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    // Stands in for /dev/serial/by-id/…: a stable link to whichever tty the scanner currently is.
    private string PortLink => Path.Combine(_directory, "usb-Scanner-if00");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ReadScansAsync_LinesSplitAcrossWrites_YieldsScans()
    {
        using var tty = new PseudoTerminal();
        Assert.True(Fnc1Substitute.TryCreate('^', out var caret, out _));
        var source = new SerialScanSource(new SerialScanSourceOptions { PortName = tty.PortName, Fnc1Substitute = caret }, _time, new ListLogger<SerialScanSource>());
        using var cts = new CancellationTokenSource(Timeout);
        await using var scans = source.ReadScansAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var next = scans.MoveNextAsync().AsTask();
        await Task.Delay(200, cts.Token); // let the port open and set raw mode before the scanner "types"
        tty.Write("0109501101");
        tty.Write("530008\r");
        tty.Write("10AB^21C\r");

        Assert.True(await next.WaitAsync(Timeout));
        Assert.Equal("0109501101530008", scans.Current);
        Assert.True(await scans.MoveNextAsync());
        Assert.Equal("10AB\u001D21C", scans.Current);
    }

    [Fact]
    public async Task ReadScansAsync_PortHungUpAndBack_ReopensByName()
    {
        var first = new PseudoTerminal();
        File.CreateSymbolicLink(PortLink, first.PortName);
        var logger = new ListLogger<SerialScanSource>();
        var source = new SerialScanSource(new SerialScanSourceOptions { PortName = PortLink }, _time, logger, new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), new Random(3)));
        using var cts = new CancellationTokenSource(Timeout);
        await using var scans = source.ReadScansAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var next = scans.MoveNextAsync().AsTask();
        await Task.Delay(200, cts.Token);
        first.Write("FIRST\r");
        Assert.True(await next.WaitAsync(Timeout));
        Assert.Equal("FIRST", scans.Current);

        next = scans.MoveNextAsync().AsTask();
        first.Write("cut off by the unplu");
        await Task.Delay(100, cts.Token);
        first.Dispose();
        File.Delete(PortLink);
        using var second = new PseudoTerminal();
        File.CreateSymbolicLink(PortLink, second.PortName);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (logger.Messages.Count(m => m.EndsWith(" opened", StringComparison.Ordinal)) < 2)
        {
            Assert.True(clock.Elapsed < Timeout, "the port was not reopened");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, cts.Token);
        }

        await Task.Delay(200, cts.Token);
        second.Write("SECOND\r");

        Assert.True(await next.WaitAsync(Timeout));
        Assert.Equal("SECOND", scans.Current); // the cut-off line was not glued onto it
        Assert.Contains(logger.Messages, m => m.Contains("lost", StringComparison.Ordinal));
    }
}
