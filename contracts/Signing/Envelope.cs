namespace SupplyChain.Contracts.Signing;

/// <summary>A DSSE v1 envelope (secure-systems-lab/dsse, envelope.md): exact payload bytes, their type, and signatures over their PAE.</summary>
public sealed class Envelope
{
    /// <summary>Creates an envelope. The payload bytes are copied.</summary>
    /// <exception cref="ArgumentException"><paramref name="signatures"/> is empty.</exception>
    public Envelope(string payloadType, ReadOnlySpan<byte> payload, IReadOnlyList<EnvelopeSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        ArgumentNullException.ThrowIfNull(signatures);
        if (signatures.Count == 0)
        {
            throw new ArgumentException("An envelope carries at least one signature.", nameof(signatures));
        }

        PayloadType = payloadType;
        Payload = payload.ToArray();
        Signatures = [.. signatures];
        EventId = EventId.Compute(payload);
    }

    /// <summary>The DSSE <c>payloadType</c>.</summary>
    public string PayloadType { get; }

    /// <summary>The exact payload bytes that were signed.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The signatures, in envelope order.</summary>
    public IReadOnlyList<EnvelopeSignature> Signatures { get; }

    /// <summary>SHA-256 of <see cref="Payload"/> (PROTOCOL.md §3.5).</summary>
    public EventId EventId { get; }
}

/// <summary>One DSSE signature: the signer's key id and a 64-byte Ed25519 signature over the PAE.</summary>
public sealed class EnvelopeSignature
{
    /// <summary>Creates a signature entry. The signature bytes are copied.</summary>
    public EnvelopeSignature(KeyId keyId, ReadOnlySpan<byte> signature)
    {
        KeyId = keyId;
        Signature = signature.ToArray();
    }

    /// <summary>The DSSE <c>keyid</c>.</summary>
    public KeyId KeyId { get; }

    /// <summary>The DSSE <c>sig</c>, decoded.</summary>
    public ReadOnlyMemory<byte> Signature { get; }
}
