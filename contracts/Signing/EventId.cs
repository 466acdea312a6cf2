using System.Security.Cryptography;

namespace SupplyChain.Contracts.Signing;

/// <summary>
/// The id of an event: SHA-256 of the exact payload bytes of its envelope (PROTOCOL.md §3.5), written as 64 lowercase hex digits.
/// The default value is the all-zero id, which PROTOCOL.md §2 uses as <c>ct:prev</c> of a device's first event.
/// </summary>
public readonly record struct EventId
{
    private readonly ReadOnlyMemory<byte> _bytes;

    private EventId(byte[] bytes) => _bytes = bytes;

    /// <summary>The all-zero id: "no previous event".</summary>
    public static EventId None => default;

    /// <summary>The 32 hash bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.IsEmpty ? new byte[Sha256Id.Size] : _bytes.Span;

    /// <summary>True for the all-zero id.</summary>
    public bool IsNone => !Bytes.ContainsAnyExcept((byte)0);

    /// <summary>Computes the id of a payload: SHA-256 over its exact bytes.</summary>
    public static EventId Compute(ReadOnlySpan<byte> payload) => new(SHA256.HashData(payload));

    /// <summary>Wraps 32 hash bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="hash"/> is not 32 bytes long.</exception>
    public static EventId FromBytes(ReadOnlySpan<byte> hash) => hash.Length == Sha256Id.Size
        ? new EventId(hash.ToArray())
        : throw new ArgumentException($"An event id is {Sha256Id.Size} bytes.", nameof(hash));

    /// <summary>Parses 64 lowercase hex digits.</summary>
    public static bool TryParse(string? text, out EventId id, out HexIdError error)
    {
        var ok = Sha256Id.TryParse(text, out var bytes, out error);
        id = ok ? new EventId(bytes) : default;
        return ok;
    }

    /// <inheritdoc/>
    public bool Equals(EventId other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    /// <summary>64 lowercase hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bytes);
}
