namespace SupplyChain.Contracts.Ledger;

/// <summary>
/// The outcome of checking a proof or a signed object: valid, or invalid with a reason a person can read.
/// Bad input is a normal outcome, so verifiers return this instead of throwing.
/// </summary>
/// <param name="IsValid">Whether the check passed.</param>
/// <param name="Reason">Why the check failed; <see langword="null"/> when it passed.</param>
public readonly record struct ProofCheck(bool IsValid, string? Reason)
{
    /// <summary>A passed check.</summary>
    public static ProofCheck Valid { get; } = new(true, null);

    /// <summary>A failed check with the given reason.</summary>
    /// <param name="reason">Why the check failed.</param>
    /// <returns>An invalid result carrying <paramref name="reason"/>.</returns>
    public static ProofCheck Invalid(string reason) => new(false, reason);

    /// <inheritdoc />
    public override string ToString() => IsValid ? "valid" : "invalid: " + Reason;
}
