// c2sp.org/tlog-proof@v1: an offline-verifiable proof that an entry is in a transparency log.

using System.Globalization;
using System.Text;

namespace SupplyChain.Contracts.Ledger;

/// <summary>
/// A C2SP tlog-proof bundle: the index of an entry, its RFC 9162 inclusion proof, and the signed checkpoint the proof
/// leads to, in one text that can be checked later with nothing but the log's verifier key.
/// </summary>
/// <remarks>
/// Text form (one item per line, newline-terminated):
/// <c>c2sp.org/tlog-proof@v1</c>, an optional <c>extra &lt;base64&gt;</c>, <c>index &lt;decimal&gt;</c>, zero or more base64
/// proof hashes from the leaf's sibling up, an empty line, then the signed checkpoint note verbatim.
/// </remarks>
public sealed class TlogProof
{
    /// <summary>The first line of every proof.</summary>
    public const string Header = "c2sp.org/tlog-proof@v1";

    // A tree of at most 2^63 - 1 leaves has an inclusion path of at most 63 hashes.
    private const int MaxProofHashes = 63;

    private readonly byte[][] _hashes;
    private readonly byte[]? _extra;

    /// <summary>Creates a proof bundle.</summary>
    /// <param name="index">Zero-based index of the entry in the log.</param>
    /// <param name="hashes">The inclusion proof, each hash 32 bytes, from the leaf's sibling up to the root's child.</param>
    /// <param name="checkpointNote">The signed checkpoint note, verbatim as the log signed it.</param>
    /// <param name="extra">Optional opaque, unauthenticated extra data; <see langword="null"/> when absent.</param>
    /// <exception cref="ArgumentException">An argument breaks the format.</exception>
    public TlogProof(long index, IReadOnlyList<byte[]> hashes, string checkpointNote, byte[]? extra = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(hashes);
        if (HashesProblem(hashes) is { } hashProblem)
        {
            throw new ArgumentException(hashProblem, nameof(hashes));
        }

        if (CheckpointNoteProblem(checkpointNote) is { } noteProblem)
        {
            throw new ArgumentException(noteProblem, nameof(checkpointNote));
        }

        Index = index;
        _hashes = [.. hashes.Select(h => (byte[])h.Clone())];
        CheckpointNote = checkpointNote;
        _extra = extra is null ? null : (byte[])extra.Clone();
    }

    /// <summary>Zero-based index of the entry in the log.</summary>
    public long Index { get; }

    /// <summary>The inclusion proof hashes, each 32 bytes.</summary>
    public IReadOnlyList<byte[]> Hashes => _hashes;

    /// <summary>The signed checkpoint note, verbatim.</summary>
    public string CheckpointNote { get; }

    /// <summary>Opaque extra data, not authenticated by anything in the proof; <see langword="null"/> when absent.</summary>
    public ReadOnlyMemory<byte>? Extra => _extra;

    /// <summary>Writes the proof in its C2SP text form.</summary>
    /// <returns>The proof text.</returns>
    public string Format()
    {
        var text = new StringBuilder(Header).Append('\n');
        if (_extra is not null)
        {
            text.Append("extra ").Append(Convert.ToBase64String(_extra)).Append('\n');
        }

        text.Append("index ").Append(Index.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in _hashes)
        {
            text.Append(Convert.ToBase64String(hash)).Append('\n');
        }

        return text.Append('\n').Append(CheckpointNote).ToString();
    }

    /// <summary>Parses a proof in its C2SP text form. Only the form is checked here; <see cref="Verify(ReadOnlySpan{byte}, IEnumerable{NoteVerifier})"/> checks the contents.</summary>
    /// <param name="text">The proof text.</param>
    /// <param name="proof">The proof, when the text is well formed.</param>
    /// <param name="reason">Why the text was rejected, when it is not well formed.</param>
    /// <returns>Whether <paramref name="text"/> is a well-formed proof.</returns>
    public static bool TryParse(string? text, out TlogProof? proof, out string? reason)
    {
        proof = null;
        if (text is null)
        {
            reason = "the proof is empty";
            return false;
        }

        var position = 0;
        bool NextLine(out string line)
        {
            var newline = text.IndexOf('\n', position);
            if (newline < 0)
            {
                line = string.Empty;
                return false;
            }

            line = text[position..newline];
            position = newline + 1;
            return true;
        }

        if (!NextLine(out var line) || line != Header)
        {
            reason = $"the proof does not start with the line {Header}";
            return false;
        }

        if (!NextLine(out line))
        {
            reason = "the proof has no index line";
            return false;
        }

        byte[]? extra = null;
        if (line.StartsWith("extra ", StringComparison.Ordinal))
        {
            if (!Base64Text.TryDecode(line["extra ".Length..], out var decoded))
            {
                reason = "the extra data is not valid base64";
                return false;
            }

            extra = decoded;
            if (!NextLine(out line))
            {
                reason = "the proof has no index line";
                return false;
            }
        }

        if (!line.StartsWith("index ", StringComparison.Ordinal) || !DecimalText.TryParse(line["index ".Length..], out var index))
        {
            reason = "the index line is not 'index' and a decimal number without leading zeroes";
            return false;
        }

        var hashes = new List<byte[]>();
        while (true)
        {
            if (!NextLine(out line))
            {
                reason = "the proof has no empty line before the checkpoint";
                return false;
            }

            if (line.Length == 0)
            {
                break;
            }

            if (hashes.Count == MaxProofHashes)
            {
                reason = $"the proof has more than {MaxProofHashes} hashes";
                return false;
            }

            if (!Base64Text.TryDecode(line, out var hash) || hash.Length != Rfc9162.HashSize)
            {
                reason = $"proof hash {hashes.Count} is not base64 of {Rfc9162.HashSize} bytes";
                return false;
            }

            hashes.Add(hash);
        }

        var note = text[position..];
        if (CheckpointNoteProblem(note) is { } problem)
        {
            reason = problem;
            return false;
        }

        proof = new TlogProof(index, hashes, note, extra);
        reason = null;
        return true;
    }

    /// <summary>
    /// Checks that a known key signed the checkpoint and that <paramref name="leafHash"/> is the entry at
    /// <see cref="Index"/> in the tree it commits to.
    /// </summary>
    /// <param name="leafHash">The RFC 9162 leaf hash of the entry, <c>SHA-256(0x00 ‖ leaf)</c>.</param>
    /// <param name="verifiers">The log keys to trust.</param>
    /// <returns><see cref="ProofCheck.Valid"/>, or the reason the proof does not hold.</returns>
    public ProofCheck Verify(ReadOnlySpan<byte> leafHash, IEnumerable<NoteVerifier> verifiers) => Verify(leafHash, null, verifiers);

    /// <summary>
    /// Checks as <see cref="Verify(ReadOnlySpan{byte}, IEnumerable{NoteVerifier})"/> does, and also that the checkpoint
    /// names the expected log <paramref name="origin"/>.
    /// </summary>
    /// <param name="leafHash">The RFC 9162 leaf hash of the entry.</param>
    /// <param name="origin">The origin line the checkpoint must carry, or <see langword="null"/> to accept any.</param>
    /// <param name="verifiers">The log keys to trust.</param>
    /// <returns><see cref="ProofCheck.Valid"/>, or the reason the proof does not hold.</returns>
    public ProofCheck Verify(ReadOnlySpan<byte> leafHash, string? origin, IEnumerable<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        var opened = SignedNote.Open(CheckpointNote, verifiers);
        if (!opened.IsVerified)
        {
            return ProofCheck.Invalid("checkpoint: " + opened.Reason);
        }

        if (!Checkpoint.TryParse(opened.Text, out var checkpoint, out var reason))
        {
            return ProofCheck.Invalid("checkpoint: " + reason);
        }

        if (origin is not null && !string.Equals(checkpoint.Origin, origin, StringComparison.Ordinal))
        {
            return ProofCheck.Invalid($"the checkpoint is for log '{checkpoint.Origin}', not '{origin}'");
        }

        var inclusion = MerkleProof.VerifyInclusion(Index, checkpoint.Size, leafHash, _hashes, checkpoint.RootHash);
        return inclusion.IsValid ? inclusion : ProofCheck.Invalid("inclusion: " + inclusion.Reason);
    }

    /// <inheritdoc />
    public override string ToString() => Format();

    private static string? HashesProblem(IReadOnlyList<byte[]> hashes)
    {
        if (hashes.Count > MaxProofHashes)
        {
            return $"the proof has more than {MaxProofHashes} hashes";
        }

        for (var i = 0; i < hashes.Count; i++)
        {
            if (hashes[i] is not { Length: Rfc9162.HashSize })
            {
                return $"proof hash {i} is not {Rfc9162.HashSize} bytes";
            }
        }

        return null;
    }

    private static string? CheckpointNoteProblem(string? note)
    {
        if (!SignedNote.TryParse(note, out var body, out _, out var noteReason))
        {
            return "checkpoint: " + noteReason;
        }

        return Checkpoint.TryParse(body, out _, out var reason) ? null : "checkpoint: " + reason;
    }
}
