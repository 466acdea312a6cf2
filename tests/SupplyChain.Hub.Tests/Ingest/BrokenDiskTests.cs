using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Storage;

namespace SupplyChain.Hub.Tests.Ingest;

/// <summary>The ingest pipeline over the real log services whose disk fails on demand.</summary>
public sealed class BrokenDiskTests
{
    [Fact]
    public async Task Publish_WhileTheLogCannotWrite_HubUnavailableThenAcceptedOnResend()
    {
        await using var harness = await Harness.StartAsync();
        using var device = new TestDevice("pharmacy-1");
        Assert.True((await harness.Enrolment.EnrollAsync(device.Enrolment(), CancellationToken.None)).IsSuccess);
        var first = device.Next(1);
        var second = device.Next(2);
        var third = device.Next(3);
        var batch = EventMessage.EncodeBatch([first, second]);

        harness.Store.Broken = true;
        var failed = await harness.SendAsync(device, batch, expected: 2);
        harness.Store.Broken = false;
        var resent = await harness.SendAsync(device, batch, expected: 2);
        var next = await harness.SendAsync(device, EventMessage.Encode(third), expected: 1);

        Assert.All(failed, ack => Assert.Equal(RejectReason.HubUnavailable, ack.Reason));
        Assert.All(resent, ack => Assert.Equal((AckStatus.Accepted, false), (ack.Status, ack.Duplicate!.Value)));
        Assert.Equal([first.EventId.ToString(), second.EventId.ToString()], resent.Select(a => a.EventId));
        Assert.Equal(AckStatus.Accepted, Assert.Single(next).Status);
        Assert.Equal(resent[1].Index + 1, next[0].Index);
    }

    [Fact]
    public async Task Publish_WhileTheDiskIsFull_HubUnavailableThenAcceptedOnceRoomReturns()
    {
        // The real stores on a real 2 MiB tmpfs, filled below Log:MinFreeBytes and emptied again, without a restart.
        using var disk = new Tmpfs(2 * 1024 * 1024);
        await using var harness = await Harness.StartAsync(disk.Path);
        using var device = new TestDevice("pharmacy-2");
        Assert.True((await harness.Enrolment.EnrollAsync(device.Enrolment(), CancellationToken.None)).IsSuccess);
        var first = device.Next(1);
        var second = device.Next(2);
        var batch = EventMessage.EncodeBatch([first, second]);

        disk.Fill(leaveBytes: 64 * 1024);
        var failed = await harness.SendAsync(device, batch, expected: 2);
        disk.Unfill();
        var resent = await harness.SendAsync(device, batch, expected: 2);
        var next = await harness.SendAsync(device, EventMessage.Encode(device.Next(3)), expected: 1);

        Assert.All(failed, ack => Assert.Equal(RejectReason.HubUnavailable, ack.Reason));
        Assert.All(resent, ack => Assert.Equal((AckStatus.Accepted, false), (ack.Status, ack.Duplicate!.Value)));
        Assert.Equal(resent[1].Index + 1, Assert.Single(next).Index);
        Assert.Equal(next[0].Index + 1, harness.Store.ReadState().SequencedSize);
    }

    private sealed class Harness : IAsyncDisposable
    {
        private readonly Channel<AckMessage> _acks = Channel.CreateUnbounded<AckMessage>();
        private readonly LogSequencer _sequencer;
        private readonly LiteDbDeviceRegistry _registry;
        private readonly LiteDbChainHeadStore _heads;
        private readonly IngestPipeline _pipeline;
        private readonly IngestQueue _queue;

        private Harness(string directory)
        {
            var logOptions = Microsoft.Extensions.Options.Options.Create(new LogOptions());
            var ingestOptions = Microsoft.Extensions.Options.Options.Create(new IngestOptions { Workers = 1 });
            Store = new BreakableStore(new LiteDbLogStore(Path.Combine(directory, "log.db")));
            _sequencer = new LogSequencer(Store, logOptions, TimeProvider.System, NullLogger<LogSequencer>.Instance);
            _registry = new LiteDbDeviceRegistry(Path.Combine(directory, LiteDbDeviceRegistry.FileName));
            _heads = new LiteDbChainHeadStore(Path.Combine(directory, LiteDbChainHeadStore.FileName));
            Enrolment = new DeviceEnrolment(_registry, _sequencer, TimeProvider.System);
            _queue = new IngestQueue(ingestOptions);
            _pipeline = new IngestPipeline(
                _queue,
                new EventAdmission(_registry, ingestOptions),
                _heads,
                _sequencer,
                new LogReader(Store, new LogHead()),
                new ChannelAcks(_acks.Writer),
                new Hub.Custody.CustodyState(Store, Microsoft.Extensions.Options.Options.Create(new Hub.Custody.ColdChainOptions()), NullLogger<Hub.Custody.CustodyState>.Instance),
                ingestOptions,
                TimeProvider.System,
                NullLogger<IngestPipeline>.Instance);
        }

        public BreakableStore Store { get; }

        public DeviceEnrolment Enrolment { get; }

        public static async Task<Harness> StartAsync(string? directory = null)
        {
            var harness = new Harness(directory ?? Directory.CreateTempSubdirectory("coldtrace-ingest-").FullName);
            await harness._sequencer.StartAsync(CancellationToken.None);
            await harness._pipeline.StartAsync(CancellationToken.None);
            return harness;
        }

        public async Task<List<EventAck>> SendAsync(TestDevice device, byte[] message, int expected)
        {
            await _queue.EnqueueAsync(MqttDevice.DeviceIdOf(device.Id), message, CancellationToken.None);
            var answers = new List<EventAck>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (answers.Count < expected)
            {
                answers.AddRange((await _acks.Reader.ReadAsync(timeout.Token)).Acks);
            }

            return answers;
        }

        public async ValueTask DisposeAsync()
        {
            await _pipeline.StopAsync(CancellationToken.None);
            await _sequencer.StopAsync(CancellationToken.None);
            _pipeline.Dispose();
            _sequencer.Dispose();
            Enrolment.Dispose();
            _heads.Dispose();
            _registry.Dispose();
            Store.Dispose();
        }
    }

    private sealed class ChannelAcks(ChannelWriter<AckMessage> writer) : IAckPublisher
    {
        public Task PublishAckAsync(DeviceId device, AckMessage message, CancellationToken cancellationToken) =>
            writer.WriteAsync(message, cancellationToken).AsTask();
    }

    /// <summary>The real store, except that writes fail like a full disk while <see cref="Broken"/> is set.</summary>
    private sealed class BreakableStore(LiteDbLogStore inner) : ILogStore
    {
        public bool Broken { get; set; }

        public LogState ReadState() => inner.ReadState();

        public IReadOnlyList<SequenceResult> Sequence(IReadOnlyList<PendingEntry> batch) =>
            Broken ? throw new IOException("No space left on device") : inner.Sequence(batch);

        public StoredEntry? ReadEntry(long index) => inner.ReadEntry(index);

        public IReadOnlyList<StoredEntry> ReadEntries(long start, int count) => inner.ReadEntries(start, count);

        public long? FindByLeafHash(ReadOnlySpan<byte> leafHash) => inner.FindByLeafHash(leafHash);

        public byte[]? ReadTile(TileId id) => inner.ReadTile(id);

        public void Integrate(IReadOnlyCollection<KeyValuePair<TileId, byte[]>> tiles, StoredCheckpoint checkpoint) => inner.Integrate(tiles, checkpoint);

        public StoredCheckpoint? ReadLatestCheckpoint() => inner.ReadLatestCheckpoint();

        public IEnumerable<StoredCheckpoint> ReadCheckpoints() => inner.ReadCheckpoints();

        public void Dispose() => inner.Dispose();
    }
}
