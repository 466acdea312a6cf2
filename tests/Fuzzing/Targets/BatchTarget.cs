using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Fuzzing.Targets;

/// <summary>
/// The MQTT event message splitter, <see cref="EventMessage.TrySplit(ReadOnlyMemory{byte}, out IReadOnlyList{ReadOnlyMemory{byte}}, out EventMessageError)"/>
/// (one envelope or a batch, PROTOCOL.md §5.2), then the envelope decoder on every part, as the hub's ingest does.
/// </summary>
internal static class BatchTarget
{
    public static FuzzTarget Target { get; } = new("batch", "EventMessage.TrySplit, EnvelopeCodec.TryDecode of each part", Run);

    private static void Run(byte[] input)
    {
        if (!EventMessage.TrySplit(input, out var envelopes, out var error))
        {
            InvariantBrokenException.ThrowUnless(envelopes.Count == 0 && error != EventMessageError.None, "a rejection without a reason");
            return;
        }

        foreach (var part in envelopes)
        {
            EnvelopeCodec.TryDecode(part.Span, out _, out _);
        }
    }
}
