using System.Device.Gpio;
using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Tests.Outbox;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Agent.Tests.Feedback;

public sealed class SignalFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, 250, TimeSpan.Zero));

    private string Path => _directory.File("signals.log");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Format_Green_TimeSeqAndEventId()
    {
        var id = EventId.Compute("abc"u8);

        var line = SignalFile.Format(_time.GetUtcNow(), ScanOutcome.Green, AppendResult.Appended(17, id));

        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        Assert.Equal("2026-11-24T02:00:00.250Z green 17 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", line);
    }

    [Fact]
    public void Format_RedWithLineBreaksInReason_OneLine()
    {
        var line = SignalFile.Format(_time.GetUtcNow(), ScanOutcome.Red("unreadable\nbarcode\u001d"), null);

        Assert.Equal("2026-11-24T02:00:00.250Z red unreadable barcode ", line);
    }

    [Fact]
    public async Task ShowAsync_GreenAfterAppend_LineOnDiskNamesTheCommittedEvent()
    {
        using var outbox = new OutboxFixture();
        using var file = SignalFile.Open(Path, () => outbox.Outbox.LastAppended, _time);
        var appended = outbox.AppendShip("A1");

        await file.ShowAsync(ScanOutcome.Green, CancellationToken.None);

        // Read through another handle while the sink is still open: nothing waits in a buffer.
        Assert.Equal([$"2026-11-24T02:00:00.250Z green 0 {appended.EventId}"], ReadLines());
        Assert.Equal(0, appended.Seq);
    }

    [Fact]
    public async Task ShowAsync_EveryOutcome_OneLineEachInOrder()
    {
        using var outbox = new OutboxFixture();
        using var file = SignalFile.Open(Path, () => outbox.Outbox.LastAppended, _time);

        await file.ShowAsync(ScanOutcome.Blink, CancellationToken.None);
        await file.ShowAsync(ScanOutcome.ShortBeep("already in this batch"), CancellationToken.None);
        await file.ShowAsync(ScanOutcome.Red("custody outbox full"), CancellationToken.None);
        var second = outbox.AppendShip("A2");
        _time.Advance(TimeSpan.FromSeconds(1));
        await file.ShowAsync(ScanOutcome.Green, CancellationToken.None);

        Assert.Equal(
            [
                "2026-11-24T02:00:00.250Z blink",
                "2026-11-24T02:00:00.250Z beep already in this batch",
                "2026-11-24T02:00:00.250Z red custody outbox full",
                $"2026-11-24T02:00:01.250Z green 0 {second.EventId}",
            ],
            ReadLines());
    }

    [Fact]
    public async Task ShowAsync_GreenWithNoEventSinceLastSignal_BareGreen()
    {
        using var outbox = new OutboxFixture();
        using var file = SignalFile.Open(Path, () => outbox.Outbox.LastAppended, _time);
        outbox.AppendShip("A1");

        await file.ShowAsync(ScanOutcome.Red("refused"), CancellationToken.None);
        await file.ShowAsync(ScanOutcome.Green, CancellationToken.None);

        Assert.Equal("2026-11-24T02:00:00.250Z green", ReadLines()[^1]);
    }

    [Fact]
    public async Task Open_ExistingFile_AppendsAfterEarlierRun()
    {
        using var outbox = new OutboxFixture();
        using (var first = SignalFile.Open(Path, () => null, _time))
        {
            await first.ShowAsync(ScanOutcome.Blink, CancellationToken.None);
        }

        using var second = SignalFile.Open(Path, () => outbox.Outbox.LastAppended, _time);
        var appended = outbox.AppendShip("A1");
        await second.ShowAsync(ScanOutcome.Green, CancellationToken.None);

        Assert.Equal(["2026-11-24T02:00:00.250Z blink", $"2026-11-24T02:00:00.250Z green 0 {appended.EventId}"], ReadLines());
    }

    [Fact]
    public async Task Composite_FileAndProbe_LineWrittenBeforeTheNextSinkShows()
    {
        using var outbox = new OutboxFixture();
        var probe = new FileProbe(Path);
        using var composite = new CompositeFeedback([SignalFile.Open(Path, () => outbox.Outbox.LastAppended, _time), probe]);
        outbox.AppendShip("A1");

        await composite.ShowAsync(ScanOutcome.Green, CancellationToken.None);
        await composite.ShowAsync(Signal.Red, CancellationToken.None);

        Assert.Equal([1, 2], probe.LinesSeen);
        Assert.Equal([Signal.Green, Signal.Red], probe.Signals);
        Assert.EndsWith(" red -", ReadLines()[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FileAndPins_FileFirstThenGpio()
    {
        var options = new FeedbackOptions { SignalFile = Path, GreenLedPin = 17 };

        using var feedback = Assert.IsType<CompositeFeedback>(
            StationFeedback.Create(options, () => null, _time, () => new GpioController(new RecordingGpioDriver())));

        Assert.Collection(feedback.Sinks, s => Assert.IsType<SignalFile>(s), s => Assert.IsType<GpioFeedback>(s));
    }

    [Fact]
    public void Create_FileOnly_SignalFile()
    {
        var feedback = StationFeedback.Create(new FeedbackOptions { SignalFile = Path }, () => null, _time);

        Assert.IsType<SignalFile>(feedback);
        ((IDisposable)feedback).Dispose();
    }

    [Fact]
    public void Create_Nothing_NullFeedback() =>
        Assert.IsType<NullFeedback>(StationFeedback.Create(new FeedbackOptions(), () => null, _time));

    [Fact]
    public void Validate_SignalFileInMissingFolder_FailsNamingTheKey()
    {
        var result = new FeedbackOptionsValidator().Validate(null, new FeedbackOptions { SignalFile = _directory.File("no-such-dir/signals.log") });

        Assert.True(result.Failed);
        Assert.Contains("Feedback:SignalFile", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-")]
    [InlineData(null)]
    public void Validate_StdoutOrUnset_Succeeds(string? signalFile) =>
        Assert.True(new FeedbackOptionsValidator().Validate(null, new FeedbackOptions { SignalFile = signalFile }).Succeeded);

    [Fact]
    public void Validate_SignalFileInExistingFolder_Succeeds() =>
        Assert.True(new FeedbackOptionsValidator().Validate(null, new FeedbackOptions { SignalFile = Path }).Succeeded);

    private string[] ReadLines()
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A second sink that counts the signal file's lines at the moment it is shown.</summary>
    private sealed class FileProbe(string path) : IFeedback
    {
        public List<int> LinesSeen { get; } = [];

        public List<Signal> Signals { get; } = [];

        public ValueTask ShowAsync(Signal signal, CancellationToken cancellationToken)
        {
            Signals.Add(signal);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            LinesSeen.Add(reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            return ValueTask.CompletedTask;
        }
    }
}
