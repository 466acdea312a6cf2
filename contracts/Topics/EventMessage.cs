using System.Text.Json;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Topics;

/// <summary>
/// A message on <c>coldtrace/v1/devices/{deviceId}/events</c> (PROTOCOL.md §5.2): either one DSSE envelope (a JSON
/// object, PROTOCOL.md §3.1) or a batch, a JSON array of 1 to <see cref="MaxEnvelopes"/> such objects, at most
/// <see cref="MaxMessageBytes"/> in all. Each element is kept as its exact bytes, so one bad envelope in a batch is
/// rejected on its own and the others still go through.
/// </summary>
public static class EventMessage
{
    /// <summary>Largest message: 256 KiB.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    /// <summary>Most envelopes in one batch.</summary>
    public const int MaxEnvelopes = 128;

    // An envelope is depth 3 (object, signatures array, signature object); the batch array adds one.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 8 };

    /// <summary>One envelope as a message: exactly <see cref="EnvelopeCodec.Encode"/>.</summary>
    public static byte[] Encode(Envelope envelope) => EnvelopeCodec.Encode(envelope);

    /// <summary>A batch: <c>[</c>, the encoded envelopes separated by <c>,</c>, <c>]</c>, no whitespace.</summary>
    /// <exception cref="ArgumentException">No envelope, or more than <see cref="MaxEnvelopes"/>.</exception>
    public static byte[] EncodeBatch(IReadOnlyList<Envelope> envelopes)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        if (envelopes.Count is 0 or > MaxEnvelopes)
        {
            throw new ArgumentException($"A batch holds 1 to {MaxEnvelopes} envelopes.", nameof(envelopes));
        }

        using var buffer = new MemoryStream();
        buffer.WriteByte((byte)'[');
        for (var i = 0; i < envelopes.Count; i++)
        {
            if (i > 0)
            {
                buffer.WriteByte((byte)',');
            }

            buffer.Write(EnvelopeCodec.Encode(envelopes[i]));
        }

        buffer.WriteByte((byte)']');
        return buffer.ToArray();
    }

    /// <summary>
    /// A batch of envelopes already encoded by <see cref="EnvelopeCodec.Encode"/>: the same bytes as
    /// <see cref="EncodeBatch"/> of the envelopes, without decoding and encoding them again. The elements are not checked.
    /// </summary>
    /// <exception cref="ArgumentException">No envelope, or more than <see cref="MaxEnvelopes"/>.</exception>
    public static byte[] JoinBatch(IReadOnlyList<ReadOnlyMemory<byte>> encodedEnvelopes)
    {
        ArgumentNullException.ThrowIfNull(encodedEnvelopes);
        if (encodedEnvelopes.Count is 0 or > MaxEnvelopes)
        {
            throw new ArgumentException($"A batch holds 1 to {MaxEnvelopes} envelopes.", nameof(encodedEnvelopes));
        }

        var message = new byte[encodedEnvelopes.Sum(e => e.Length + 1) + 1];
        var at = 0;
        message[at++] = (byte)'[';
        for (var i = 0; i < encodedEnvelopes.Count; i++)
        {
            if (i > 0)
            {
                message[at++] = (byte)',';
            }

            encodedEnvelopes[i].Span.CopyTo(message.AsSpan(at));
            at += encodedEnvelopes[i].Length;
        }

        message[at] = (byte)']';
        return message;
    }

    /// <summary>Splits a message of at most <see cref="MaxMessageBytes"/> into the exact bytes of its envelopes.</summary>
    public static bool TrySplit(ReadOnlyMemory<byte> message, out IReadOnlyList<ReadOnlyMemory<byte>> envelopes, out EventMessageError error) =>
        TrySplit(message, MaxMessageBytes, out envelopes, out error);

    /// <summary>
    /// Splits a message of at most <paramref name="maxBytes"/> into the exact bytes of its envelopes. Only the outer
    /// structure is checked here; each element is then read with <see cref="EnvelopeCodec.TryDecode(ReadOnlySpan{byte}, out Envelope?, out EnvelopeError)"/>.
    /// </summary>
    public static bool TrySplit(ReadOnlyMemory<byte> message, int maxBytes, out IReadOnlyList<ReadOnlyMemory<byte>> envelopes, out EventMessageError error)
    {
        envelopes = [];
        if (message.Length > maxBytes)
        {
            error = EventMessageError.TooLarge;
            return false;
        }

        try
        {
            error = Split(message, out var parts);
            if (error == EventMessageError.None)
            {
                envelopes = parts;
            }
        }
        catch (JsonException)
        {
            error = EventMessageError.MalformedJson;
        }

        return error == EventMessageError.None;
    }

    private static EventMessageError Split(ReadOnlyMemory<byte> message, out List<ReadOnlyMemory<byte>> parts)
    {
        parts = [];
        var reader = new Utf8JsonReader(message.Span, ReaderOptions);
        if (!reader.Read())
        {
            return EventMessageError.MalformedJson;
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            reader.Skip();
            RequireEnd(ref reader);
            parts.Add(message);
            return EventMessageError.None;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return EventMessageError.NotObjectOrArray;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (parts.Count == MaxEnvelopes)
            {
                return EventMessageError.TooManyEnvelopes;
            }

            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            parts.Add(message[start..(int)reader.BytesConsumed]);
        }

        RequireEnd(ref reader);
        return parts.Count == 0 ? EventMessageError.EmptyBatch : EventMessageError.None;
    }

    // Read() throws JsonException on anything but whitespace after the root value.
    private static void RequireEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }
}
