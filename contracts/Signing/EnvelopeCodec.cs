using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SupplyChain.Contracts.Signing;

/// <summary>
/// The DSSE JSON envelope (secure-systems-lab/dsse, envelope.md; PROTOCOL.md §3.1):
/// <c>{"payload":b64,"payloadType":str,"signatures":[{"keyid":str,"sig":b64}]}</c>.
/// Decoding ignores unrecognized members as DSSE requires, rejects duplicate members, requires <c>keyid</c> (ColdTrace
/// profile), and reports a reason instead of throwing.
/// </summary>
public static class EnvelopeCodec
{
    /// <summary>Default size limit of an encoded envelope: 256 KiB.</summary>
    public const int DefaultMaxBytes = 256 * 1024;

    /// <summary>Most signatures accepted in one envelope.</summary>
    public const int MaxSignatures = 8;

    private const int Ed25519SignatureSize = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 4 };

    private static readonly SearchValues<char> UrlSafeAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Writes the compact JSON envelope; base64 is standard with padding (RFC 4648 §4).</summary>
    public static byte[] Encode(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        using var buffer = new MemoryStream();
        // Not HTML: write '+' in media types as itself rather than \u002B.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteBase64String("payload"u8, envelope.Payload.Span);
            writer.WriteString("payloadType"u8, envelope.PayloadType);
            writer.WriteStartArray("signatures"u8);
            foreach (var signature in envelope.Signatures)
            {
                writer.WriteStartObject();
                writer.WriteString("keyid"u8, signature.KeyId.ToString());
                writer.WriteBase64String("sig"u8, signature.Signature.Span);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads an envelope of at most <see cref="DefaultMaxBytes"/> bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> json, out Envelope? envelope, out EnvelopeError error) =>
        TryDecode(json, DefaultMaxBytes, out envelope, out error);

    /// <summary>Reads an envelope of at most <paramref name="maxBytes"/> bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> json, int maxBytes, out Envelope? envelope, out EnvelopeError error)
    {
        envelope = null;
        if (json.Length > maxBytes)
        {
            error = EnvelopeError.TooLarge;
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            error = Read(ref reader, out envelope);
        }
        catch (JsonException)
        {
            error = EnvelopeError.MalformedJson;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString throws this for escapes that are not valid UTF-16 (lone surrogates).
            error = EnvelopeError.MalformedJson;
        }

        if (error != EnvelopeError.None)
        {
            envelope = null;
        }

        return error == EnvelopeError.None;
    }

    private static EnvelopeError Read(ref Utf8JsonReader reader, out Envelope? envelope)
    {
        envelope = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return EnvelopeError.NotAnObject;
        }

        byte[]? payload = null;
        string? payloadType = null;
        List<EnvelopeSignature>? signatures = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("payload"u8))
            {
                if (payload is not null)
                {
                    return EnvelopeError.DuplicateField;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return EnvelopeError.WrongFieldType;
                }

                if (!TryDecodeBase64(reader.GetString()!, out payload))
                {
                    return EnvelopeError.BadPayloadEncoding;
                }
            }
            else if (reader.ValueTextEquals("payloadType"u8))
            {
                if (payloadType is not null)
                {
                    return EnvelopeError.DuplicateField;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return EnvelopeError.WrongFieldType;
                }

                payloadType = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("signatures"u8))
            {
                if (signatures is not null)
                {
                    return EnvelopeError.DuplicateField;
                }

                signatures = [];
                var result = ReadSignatures(ref reader, signatures);
                if (result != EnvelopeError.None)
                {
                    return result;
                }
            }
            else
            {
                // DSSE envelope.md, "Parsing rules": consumers MUST ignore unrecognized fields.
                reader.Read();
                reader.Skip();
            }
        }

        // Anything after the root object is malformed input; Read() throws on trailing tokens.
        while (reader.Read())
        {
        }

        if (payload is null)
        {
            return EnvelopeError.MissingPayload;
        }

        if (string.IsNullOrEmpty(payloadType))
        {
            return EnvelopeError.MissingPayloadType;
        }

        if (signatures is null || signatures.Count == 0)
        {
            return EnvelopeError.MissingSignatures;
        }

        envelope = new Envelope(payloadType, payload, signatures);
        return EnvelopeError.None;
    }

    private static EnvelopeError ReadSignatures(ref Utf8JsonReader reader, List<EnvelopeSignature> signatures)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return EnvelopeError.WrongFieldType;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return EnvelopeError.WrongFieldType;
            }

            if (signatures.Count == MaxSignatures)
            {
                return EnvelopeError.TooManySignatures;
            }

            string? keyId = null;
            byte[]? sig = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKeyId = reader.ValueTextEquals("keyid"u8);
                var isSig = reader.ValueTextEquals("sig"u8);
                if (!isKeyId && !isSig)
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                if ((isKeyId && keyId is not null) || (isSig && sig is not null))
                {
                    return EnvelopeError.DuplicateField;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return EnvelopeError.WrongFieldType;
                }

                if (isKeyId)
                {
                    keyId = reader.GetString()!;
                }
                else if (!TryDecodeBase64(reader.GetString()!, out sig))
                {
                    return EnvelopeError.BadSignatureEncoding;
                }
            }

            if (keyId is null)
            {
                return EnvelopeError.MissingKeyId;
            }

            if (!KeyId.TryParse(keyId, out var parsedKeyId, out _))
            {
                return EnvelopeError.BadKeyId;
            }

            if (sig is null)
            {
                return EnvelopeError.MissingSignature;
            }

            if (sig.Length != Ed25519SignatureSize)
            {
                return EnvelopeError.BadSignatureLength;
            }

            signatures.Add(new EnvelopeSignature(parsedKeyId, sig));
        }

        return EnvelopeError.None;
    }

    // DSSE envelope.md: parsers accept standard and URL-safe base64, with or without padding; one alphabet per value.
    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        bytes = [];
        var standard = text.AsSpan().ContainsAny('+', '/');
        var urlSafe = text.AsSpan().ContainsAny('-', '_');
        if (standard && urlSafe)
        {
            return false;
        }

        var unpadded = text.AsSpan().TrimEnd('=');
        if (text.Length - unpadded.Length > 2 || (unpadded.Length != text.Length && text.Length % 4 != 0))
        {
            return false;
        }

        Span<char> chars = unpadded.Length <= 1024 ? stackalloc char[unpadded.Length] : new char[unpadded.Length];
        for (var i = 0; i < unpadded.Length; i++)
        {
            chars[i] = unpadded[i] switch
            {
                '+' => '-',
                '/' => '_',
                var c => c,
            };
        }

        // Only the URL-safe alphabet may remain. Base64Url would skip whitespace, and it takes '%' for padding (the
        // URL-encoded '=' of "%3D"): IsValid accepted "AA%%", and TryDecodeFromChars threw FormatException for
        // "AAA%=" (found by fuzzing). IsValid then checks the length.
        if (chars.ContainsAnyExcept(UrlSafeAlphabet) || !Base64Url.IsValid(chars, out var length))
        {
            return false;
        }

        var buffer = new byte[length];
        if (!Base64Url.TryDecodeFromChars(chars, buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
