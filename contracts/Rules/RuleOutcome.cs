namespace SupplyChain.Contracts.Rules;

/// <summary>Green: the fact keeps every rule. Red: it broke one; it is still logged, and the findings say why.</summary>
public enum Verdict
{
    /// <summary>Every rule kept.</summary>
    Green = 1,

    /// <summary>A rule broken.</summary>
    Red = 2,
}

/// <summary>A pack's state before and after a fact.</summary>
/// <param name="Pack">The pack.</param>
/// <param name="Before">Before; <see langword="null"/> when the fact commissioned it.</param>
/// <param name="After">After.</param>
public sealed record PackChange(PackKey Pack, PackState? Before, PackState After);

/// <summary>
/// What applying one fact did (PROTOCOL.md §6.1): the verdict for the device's ack, why it is red, what people must
/// be told, and every pack state that changed. Lists are in canonical order (pack key, then reason).
/// </summary>
/// <param name="Verdict">Green or red.</param>
/// <param name="Findings">Why red; empty when green.</param>
/// <param name="Alerts">Every finding, plus what became true as a consequence (compromised, suspect, custody broken).</param>
/// <param name="Changes">Packs whose state changed.</param>
public sealed record RuleOutcome(
    Verdict Verdict,
    IReadOnlyList<RuleFinding> Findings,
    IReadOnlyList<RuleFinding> Alerts,
    IReadOnlyList<PackChange> Changes)
{
    /// <summary>Whether the verdict is green.</summary>
    public bool IsGreen => Verdict == Verdict.Green;
}
