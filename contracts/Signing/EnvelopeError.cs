namespace SupplyChain.Contracts.Signing;

/// <summary>Why an envelope was rejected by <see cref="EnvelopeCodec.TryDecode(ReadOnlySpan{byte}, out Envelope?, out EnvelopeError)"/>. Names and values are stable.</summary>
public enum EnvelopeError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The input is larger than the size limit.</summary>
    TooLarge = 1,

    /// <summary>The input is not well-formed UTF-8 JSON.</summary>
    MalformedJson = 2,

    /// <summary>The JSON root is not an object.</summary>
    NotAnObject = 3,

    /// <summary>A member appears twice.</summary>
    DuplicateField = 5,

    /// <summary>A member has the wrong JSON type.</summary>
    WrongFieldType = 6,

    /// <summary><c>payload</c> is missing.</summary>
    MissingPayload = 7,

    /// <summary><c>payloadType</c> is missing or empty.</summary>
    MissingPayloadType = 8,

    /// <summary><c>signatures</c> is missing or empty.</summary>
    MissingSignatures = 9,

    /// <summary>More signatures than <see cref="EnvelopeCodec.MaxSignatures"/>.</summary>
    TooManySignatures = 10,

    /// <summary><c>payload</c> is not base64 (standard or URL-safe, padding optional).</summary>
    BadPayloadEncoding = 11,

    /// <summary>A signature has no <c>keyid</c> (optional in DSSE, required by ColdTrace to pick the device key).</summary>
    MissingKeyId = 12,

    /// <summary>A <c>keyid</c> is not 64 lowercase hex digits.</summary>
    BadKeyId = 13,

    /// <summary>A signature has no <c>sig</c>.</summary>
    MissingSignature = 14,

    /// <summary>A <c>sig</c> is not base64.</summary>
    BadSignatureEncoding = 15,

    /// <summary>A <c>sig</c> does not decode to 64 bytes (Ed25519, RFC 8032 §5.1.6).</summary>
    BadSignatureLength = 16,
}
