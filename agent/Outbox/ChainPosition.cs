using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Contracts.Events;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Agent.Outbox;

/// <summary>
/// Moves a signed event's payload to another place in the device chain: the same event (kind, time, boot id, clock flag,
/// epcs, everything else) with a new <c>ct:seq</c> and <c>ct:prev</c> (PROTOCOL.md §2.2), written in the codec's
/// canonical form, ready to be signed again. Used when the outbox restarts its chain after a final rejection.
/// </summary>
internal static class ChainPosition
{
    /// <exception cref="InvalidDataException">The payload is not a ColdTrace event: the store is damaged.</exception>
    public static byte[] Move(ReadOnlySpan<byte> payload, long seq, EventId prev)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        var root = JsonNode.Parse(payload);
        if (root?["epcisBody"]?["eventList"]?[0] is not JsonObject objectEvent)
        {
            throw new InvalidDataException("stored payload has no event to move");
        }

        objectEvent["ct:seq"] = seq;
        objectEvent["ct:prev"] = prev.ToString();
        var edited = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(edited))
        {
            root.WriteTo(writer);
        }

        // Through the document model and back, so the bytes are what EventCodec writes for this event (compact, model order).
        if (!EventCodec.TryReadDocument(edited.WrittenSpan, out var document, out var error))
        {
            throw new InvalidDataException($"moved payload does not read back: {error}");
        }

        var moved = EventCodec.Encode(document!);
        if (!EventCodec.TryDecode(moved, out var custodyEvent, out error) || custodyEvent!.Device.Seq != seq || custodyEvent.Device.Prev != prev)
        {
            throw new InvalidDataException($"moved payload is not the event at seq {seq}: {error}");
        }

        return moved;
    }
}
