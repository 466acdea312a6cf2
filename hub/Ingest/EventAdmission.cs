using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Ingest;

/// <summary>
/// The checks before the device chain, in the order of DESIGN §6 and PROTOCOL.md §5.4: size, envelope shape, known
/// and active device key, signature, EPCIS shape, event's device = topic's device. Pure CPU work with no shared state,
/// so workers run it in parallel.
/// </summary>
internal sealed class EventAdmission(IDeviceRegistry registry, IOptions<IngestOptions> options)
{
    public bool TryAdmit(DeviceId topicDevice, ReadOnlyMemory<byte> element, out AdmittedEvent? admitted, out EventAck? rejection)
    {
        admitted = null;
        rejection = Check(topicDevice, element, ref admitted);
        return rejection is null;
    }

    private EventAck? Check(DeviceId topicDevice, ReadOnlyMemory<byte> element, ref AdmittedEvent? admitted)
    {
        var limit = options.Value.MaxEnvelopeBytes;
        if (element.Length > limit)
        {
            // Name the event when it reads (the message limit bounds the work): an agent can only drop an event it can
            // attribute the rejection to (PROTOCOL.md §5.3); unnamed, it would resend it forever.
            var named = EnvelopeCodec.TryDecode(element.Span, EventMessage.MaxMessageBytes, out var large, out _) ? large!.EventId.ToString() : null;
            return EventAck.Rejected(named, RejectReason.TooLarge, "EnvelopeTooLarge");
        }

        if (!EnvelopeCodec.TryDecode(element.Span, limit, out var envelope, out var envelopeError))
        {
            return EventAck.Rejected(null, RejectReason.MalformedEnvelope, envelopeError.ToString());
        }

        var id = envelope!.EventId.ToString();

        // What the log stores is the envelope as the hub encodes it (PROTOCOL.md §4.x); it must fit a leaf too.
        var body = EnvelopeCodec.Encode(envelope);
        if (body.Length > Math.Min(limit, LogSequencer.MaxBodySize))
        {
            return EventAck.Rejected(id, RejectReason.TooLarge, "EnvelopeTooLarge");
        }

        if (!string.Equals(envelope.PayloadType, EventVocabulary.PayloadType, StringComparison.Ordinal))
        {
            return EventAck.Rejected(id, RejectReason.WrongPayloadType);
        }

        var device = registry.Find(topicDevice);
        if (device is null)
        {
            return EventAck.Rejected(id, RejectReason.UnknownDevice);
        }

        if (!device.IsActive)
        {
            return EventAck.Rejected(id, RejectReason.DeviceRevoked);
        }

        var keyId = device.KeyId;
        if (!envelope.Signatures.Any(signature => signature.KeyId == keyId))
        {
            return EventAck.Rejected(id, RejectReason.UnknownKey);
        }

        if (!EnvelopeVerifier.TryImportPublicKey(device.PublicKey, out var publicKey))
        {
            throw new InvalidDataException($"The registry holds an invalid public key for device {device.Id}.");
        }

        if (!EnvelopeVerifier.Verify(envelope, publicKey!))
        {
            return EventAck.Rejected(id, RejectReason.BadSignature);
        }

        if (!EventCodec.TryDecode(envelope.Payload.Span, out var custodyEvent, out var eventError))
        {
            return EventAck.Rejected(id, RejectReason.BadEvent, eventError.ToString());
        }

        if (!string.Equals(custodyEvent!.Device.DeviceId, topicDevice.Value, StringComparison.Ordinal))
        {
            return EventAck.Rejected(id, RejectReason.DeviceMismatch);
        }

        admitted = new AdmittedEvent(topicDevice, envelope, body, custodyEvent);
        return null;
    }
}
