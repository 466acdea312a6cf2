using SupplyChain.Contracts.Events;

namespace SupplyChain.Fuzzing.Targets;

/// <summary>
/// The EPCIS custody event decoder: <see cref="EventCodec.TryDecode"/> (document plus ColdTrace checks) and
/// <see cref="EventCodec.TryReadDocument"/>. Oracle: an accepted event re-encodes to a payload that decodes again.
/// </summary>
internal static class EventTarget
{
    public static FuzzTarget Target { get; } = new(
        "event",
        "EventCodec.TryDecode, TryReadDocument, Encode",
        Run);

    private static void Run(byte[] input)
    {
        if (EventCodec.TryReadDocument(input, out var document, out _))
        {
            // Any document the reader accepts can be written again (the hub's EPCIS export does this).
            _ = EventCodec.Encode(document!);
        }

        if (!EventCodec.TryDecode(input, out var custodyEvent, out var error))
        {
            InvariantBrokenException.ThrowUnless(custodyEvent is null && error != EventError.None, "a rejection without a reason");
            return;
        }

        var again = EventCodec.Encode(custodyEvent!);
        InvariantBrokenException.ThrowUnless(
            EventCodec.TryDecode(again, out _, out error),
            $"the re-encoded event is rejected: {error}");
    }
}
