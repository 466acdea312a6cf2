using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// RFC 9162 §2.1.1 MTH built leaf by leaf with O(log n) memory: the perfect subtrees of the range so far. The audit and
/// the storage migration recompute a log's root with it from the stored leaf hashes.
/// </summary>
internal sealed class CompactRange
{
    private readonly List<(int Height, byte[] Hash)> _range = [];

    public void Append(ReadOnlySpan<byte> leafHash)
    {
        _range.Add((0, leafHash.ToArray()));
        while (_range.Count >= 2 && _range[^1].Height == _range[^2].Height)
        {
            var merged = (_range[^2].Height + 1, Rfc9162.HashChildren(_range[^2].Hash, _range[^1].Hash));
            _range.RemoveRange(_range.Count - 2, 2);
            _range.Add(merged);
        }
    }

    /// <summary>MTH of everything appended so far, folded right to left over the range.</summary>
    public byte[] Root()
    {
        if (_range.Count == 0)
        {
            return Rfc9162.EmptyRoot.ToArray();
        }

        var root = _range[^1].Hash;
        for (var i = _range.Count - 2; i >= 0; i--)
        {
            root = Rfc9162.HashChildren(_range[i].Hash, root);
        }

        return root;
    }
}
