using System.Buffers.Binary;
using System.Security.Cryptography;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Agent.Outbox;

/// <summary>
/// One signed custody event as <see cref="CustodyJournal"/> keeps it until the mover has copied it into the outbox store:
/// its chain position, when it was made, and the envelope in its stored form (payload, key id, signature).
/// <para>
/// On disk a record checks itself: a 16-byte header (magic <c>CTJ1</c>, body length as a little-endian uint32, the
/// first 8 bytes of the body's SHA-256), then the body: kind (1 byte, <c>c</c>), seq (int64), created (UTC ticks, int64),
/// prev (32 bytes), key id (32 bytes), signature length (uint16) and signature, then the payload to the end. A header
/// or body cut off by a crash, a zero-filled tail or a flipped bit fails the check and is never read as an event.
/// </para>
/// </summary>
internal sealed class JournalRecord
{
    public const int HeaderBytes = 16;

    /// <summary>The largest body a record may have: a payload of <see cref="EventCodec.MaxPayloadBytes"/> and the fields.</summary>
    public const int MaxBodyBytes = EventCodec.MaxPayloadBytes + 1024;

    private const byte CustodyKind = (byte)'c';
    private const int FixedBodyBytes = 1 + 8 + 8 + 32 + 32 + 2;

    private static ReadOnlySpan<byte> Magic => "CTJ1"u8;

    public JournalRecord(long seq, EventId prev, long createdTicks, Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Seq = seq;
        Prev = prev;
        CreatedTicks = createdTicks;
        Envelope = envelope;
    }

    public long Seq { get; }

    public EventId Prev { get; }

    public long CreatedTicks { get; }

    public Envelope Envelope { get; }

    public EventId EventId => Envelope.EventId;

    /// <summary>The record as written: header and body.</summary>
    public byte[] Encode()
    {
        var signature = Envelope.Signatures[0];
        var body = new byte[FixedBodyBytes + signature.Signature.Length + Envelope.Payload.Length];
        var span = body.AsSpan();
        span[0] = CustodyKind;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], Seq);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], CreatedTicks);
        Prev.Bytes.CopyTo(span[17..]);
        signature.KeyId.Bytes.CopyTo(span[49..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[81..], (ushort)signature.Signature.Length);
        signature.Signature.Span.CopyTo(span[FixedBodyBytes..]);
        Envelope.Payload.Span.CopyTo(span[(FixedBodyBytes + signature.Signature.Length)..]);

        var record = new byte[HeaderBytes + body.Length];
        Magic.CopyTo(record);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)body.Length);
        SHA256.HashData(body).AsSpan(0, 8).CopyTo(record.AsSpan(8));
        body.CopyTo(record.AsSpan(HeaderBytes));
        return record;
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="bytes"/>: null when there is none that checks (cut off, zeros,
    /// damaged); otherwise the record and how many bytes it took.
    /// </summary>
    public static (JournalRecord Record, int Length)? TryDecode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes || !bytes[..4].SequenceEqual(Magic))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (length < FixedBodyBytes || length > MaxBodyBytes || bytes.Length - HeaderBytes < length)
        {
            return null;
        }

        var body = bytes.Slice(HeaderBytes, (int)length);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        if (!hash[..8].SequenceEqual(bytes.Slice(8, 8)) || body[0] != CustodyKind)
        {
            return null;
        }

        var signatureLength = BinaryPrimitives.ReadUInt16LittleEndian(body[81..]);
        if (FixedBodyBytes + signatureLength > body.Length)
        {
            return null;
        }

        var envelope = new Envelope(
            EventVocabulary.PayloadType,
            body[(FixedBodyBytes + signatureLength)..],
            [new EnvelopeSignature(KeyId.FromBytes(body.Slice(49, 32)), body.Slice(FixedBodyBytes, signatureLength))]);
        var record = new JournalRecord(
            BinaryPrimitives.ReadInt64LittleEndian(body[1..]),
            EventId.FromBytes(body.Slice(17, 32)),
            BinaryPrimitives.ReadInt64LittleEndian(body[9..]),
            envelope);
        return (record, HeaderBytes + (int)length);
    }
}
