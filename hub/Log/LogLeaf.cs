using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>The bytes of a log leaf: the kind byte, then the body (docs/PROTOCOL.md §4.6).</summary>
internal static class LogLeaf
{
    public static byte[] Encode(LogLeafKind kind, ReadOnlySpan<byte> body)
    {
        var leaf = new byte[body.Length + 1];
        leaf[0] = (byte)kind;
        body.CopyTo(leaf.AsSpan(1));
        return leaf;
    }

    /// <summary>The RFC 9162 leaf hash of that leaf, which is how the log finds it again.</summary>
    public static byte[] Hash(LogLeafKind kind, ReadOnlySpan<byte> body) => Rfc9162.HashLeaf(Encode(kind, body));
}
