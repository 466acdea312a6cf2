using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace SupplyChain.Hub.Epcis;

/// <summary>
/// The opaque <c>nextPageToken</c> (EPCIS 2.0 REST binding): the log index the next page starts scanning at, bound to the
/// query's filters and checked by a digest. Pages are read in log-index order and the log only grows, so a token stays
/// valid while events are appended: following <c>next</c> to the end sees every event exactly once. The token is not a
/// secret (any index is a legitimate start); the digest only turns a damaged or edited token into a 400.
/// Layout: version 1 (1 byte) ‖ next index (8, big-endian) ‖ filter fingerprint (8) ‖ SHA-256 of those (first 8), base64url.
/// </summary>
internal readonly record struct EpcisPageToken(long NextIndex)
{
    private const byte Version = 1;
    private const int Length = 1 + 8 + 8 + 8;

    public string Encode(ReadOnlySpan<byte> fingerprint)
    {
        Span<byte> bytes = stackalloc byte[Length];
        Fill(bytes, NextIndex, fingerprint);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string text, ReadOnlySpan<byte> fingerprint, long logSize, out EpcisPageToken token, out string reason)
    {
        token = default;
        // DecodeFromChars reports bad characters as a status; TryDecodeFromChars would throw on them.
        Span<byte> bytes = stackalloc byte[Length + 3];
        if (text.Length > 64 || Base64Url.DecodeFromChars(text, bytes, out _, out var written) != OperationStatus.Done || written != Length || bytes[0] != Version)
        {
            reason = "not a token this hub issued";
            return false;
        }

        var index = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes[..17]).AsSpan(0, 8), bytes[17..Length]))
        {
            reason = "not a token this hub issued";
            return false;
        }

        if (!fingerprint[..8].SequenceEqual(bytes[9..17]))
        {
            reason = "the token belongs to a query with other filters; send the same filters as the first page";
            return false;
        }

        if (index < 0 || index > logSize)
        {
            reason = "the token points beyond this log";
            return false;
        }

        token = new EpcisPageToken(index);
        reason = string.Empty;
        return true;
    }

    private static void Fill(Span<byte> bytes, long index, ReadOnlySpan<byte> fingerprint)
    {
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], index);
        fingerprint[..8].CopyTo(bytes[9..]);
        SHA256.HashData(bytes[..17]).AsSpan(0, 8).CopyTo(bytes[17..]);
    }
}
