namespace SupplyChain.Contracts.Ledger;

/// <summary>
/// The outcome of <see cref="SignedNote.Open"/>: the verified note text and the known keys whose signatures verified,
/// or the reason the note was rejected. A rejected note's text is withheld, because unverified text must be ignored.
/// </summary>
public sealed class NoteOpenResult
{
    private NoteOpenResult(string? text, IReadOnlyList<NoteVerifier> verifiedBy, string? reason)
    {
        Text = text;
        VerifiedBy = verifiedBy;
        Reason = reason;
    }

    /// <summary>Whether at least one known key signed the note and no known key's signature failed.</summary>
    public bool IsVerified => Reason is null;

    /// <summary>The note text, including its final newline; <see langword="null"/> unless verified.</summary>
    public string? Text { get; }

    /// <summary>The known keys whose signatures verified, in the order their lines appear; empty unless verified.</summary>
    public IReadOnlyList<NoteVerifier> VerifiedBy { get; }

    /// <summary>Why the note was rejected; <see langword="null"/> when verified.</summary>
    public string? Reason { get; }

    internal static NoteOpenResult Verified(string text, IReadOnlyList<NoteVerifier> verifiedBy) => new(text, verifiedBy, null);

    internal static NoteOpenResult Rejected(string reason) => new(null, [], reason);

    /// <inheritdoc />
    public override string ToString() => IsVerified ? $"verified by {string.Join(", ", VerifiedBy.Select(v => v.Name))}" : "rejected: " + Reason;
}
