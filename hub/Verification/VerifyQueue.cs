using System.Threading.Channels;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Verification;

/// <summary>One request from a device's verify topic, copied out of the broker's buffers, with its MQTT 5 correlation data.</summary>
internal sealed record VerifyRequest(DeviceId Device, ReadOnlyMemory<byte> Payload, byte[]? CorrelationData);

/// <summary>
/// The bounded queue between the broker (embedded or external) and <see cref="MqttVerification"/>. A full queue makes the
/// asking connection wait, as ingest does, instead of dropping requests.
/// </summary>
internal sealed class VerifyQueue
{
    public const int Capacity = 256;

    private readonly Channel<VerifyRequest> _requests =
        Channel.CreateBounded<VerifyRequest>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ValueTask EnqueueAsync(VerifyRequest request, CancellationToken cancellationToken) =>
        _requests.Writer.WriteAsync(request, cancellationToken);

    public ChannelReader<VerifyRequest> Reader => _requests.Reader;
}
