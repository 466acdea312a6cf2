using SupplyChain.Contracts.Topics;

namespace SupplyChain.Fuzzing.Targets;

/// <summary>
/// The MQTT ack message reader, <see cref="AckMessage.TryDecode"/> (PROTOCOL.md §5.3). Oracle: an accepted message
/// re-encodes to bytes that decode and encode to the same bytes again.
/// </summary>
internal static class AckTarget
{
    public static FuzzTarget Target { get; } = new("ack", "AckMessage.TryDecode, Encode", Run);

    private static void Run(byte[] input)
    {
        if (!AckMessage.TryDecode(input, out var message))
        {
            return;
        }

        var encoded = AckMessage.Encode(message!);
        InvariantBrokenException.ThrowUnless(
            AckMessage.TryDecode(encoded, out var again) && AckMessage.Encode(again!).AsSpan().SequenceEqual(encoded),
            "the re-encoded ack message does not decode to the same message");
    }
}
