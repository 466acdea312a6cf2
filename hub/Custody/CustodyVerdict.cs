using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Custody;

/// <summary>The rules' verdict on one log entry, as the device's ack carries it (PROTOCOL §5.3).</summary>
internal sealed record CustodyVerdict(Verdict Verdict, IReadOnlyList<RuleFinding> Findings)
{
    public const string Green = EventAck.VerdictGreen;
    public const string Red = EventAck.VerdictRed;

    /// <summary>The ack's <c>verdict</c> member.</summary>
    public string Name => Verdict == Verdict.Green ? Green : Red;

    /// <summary>The ack's <c>detail</c> for a red verdict: the distinct <see cref="RuleReason"/> names, comma-separated.</summary>
    public string? Detail => Findings.Count == 0 ? null : string.Join(',', Findings.Select(f => f.Reason.ToString()).Distinct(StringComparer.Ordinal));

    public static CustodyVerdict Of(RuleOutcome outcome) => new(outcome.Verdict, outcome.Findings);
}
