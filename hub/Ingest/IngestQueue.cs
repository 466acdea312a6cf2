using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Ingest;

/// <summary>One message from a device's events topic, copied out of the broker's buffers.</summary>
internal sealed record IngestItem(DeviceId Device, ReadOnlyMemory<byte> Message);

/// <summary>
/// The bounded queues between the broker and the ingest workers, one per worker. A device always maps to the same
/// queue, so its messages are handled in the order they arrived while other devices' messages are verified in parallel.
/// </summary>
internal sealed class IngestQueue
{
    private readonly Channel<IngestItem>[] _queues;

    public IngestQueue(IOptions<IngestOptions> options)
    {
        var workers = options.Value.Workers == 0 ? Environment.ProcessorCount : options.Value.Workers;
        _queues = new Channel<IngestItem>[workers];
        for (var i = 0; i < workers; i++)
        {
            _queues[i] = Channel.CreateBounded<IngestItem>(
                new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        }
    }

    public int Workers => _queues.Length;

    /// <summary>Queues a message; waits while the device's worker is full (back-pressure to the publisher).</summary>
    public ValueTask EnqueueAsync(DeviceId device, ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        _queues[WorkerOf(device)].Writer.WriteAsync(new IngestItem(device, message), cancellationToken);

    public ChannelReader<IngestItem> Reader(int worker) => _queues[worker].Reader;

    private int WorkerOf(DeviceId device) => (int)((uint)StringComparer.Ordinal.GetHashCode(device.Value) % (uint)_queues.Length);
}
