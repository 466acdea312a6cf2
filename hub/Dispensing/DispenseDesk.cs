using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Users;
using SupplyChain.Hub.Verification;

namespace SupplyChain.Hub.Dispensing;

/// <summary>
/// What a dispense or undo did: the log index of the decision, whether the rules accepted it, their reasons when not
/// (<see cref="RuleReason"/> codes), and the pack's verification at the pharmacist's site right after.
/// </summary>
internal sealed record DispenseOutcome(long Index, bool Done, IReadOnlyList<string> Reasons, VerificationResponse Pack);

/// <summary>
/// The pharmacist's counter (PROTOCOL.md §4.6 "Hub decisions: dispensing"): dispenses a pack, or undoes its dispense,
/// at the pharmacist's own pharmacy (<see cref="UserRecord.Site"/>). Each request is logged as a hub-decision leaf
/// naming the pharmacist, like a till's event, even when the rules refuse it: a refused dispense of a recalled pack is
/// evidence the recall's progress counts (<see cref="RecallLedger"/>).
/// </summary>
internal sealed partial class DispenseDesk(
    LogSequencer log,
    CustodyState custody,
    ScanVerifier verifier,
    IUserStore users,
    TimeProvider time,
    ILogger<DispenseDesk> logger)
{
    public Task<(DispenseOutcome? Outcome, DecisionRefusal? Refusal)> DispenseAsync(PackKey pack, string actor, CancellationToken cancellationToken) =>
        DecideAsync(DispenseDecision.Dispensed, pack, actor, cancellationToken);

    public Task<(DispenseOutcome? Outcome, DecisionRefusal? Refusal)> UndoAsync(PackKey pack, string actor, CancellationToken cancellationToken) =>
        DecideAsync(DispenseDecision.Undone, pack, actor, cancellationToken);

    private async Task<(DispenseOutcome? Outcome, DecisionRefusal? Refusal)> DecideAsync(
        string decision, PackKey pack, string actor, CancellationToken cancellationToken)
    {
        if (!UserName.TryParse(actor, out var name, out _) || users.Find(name) is not { IsActive: true, Site: { } site })
        {
            return (null, new DecisionRefusal(
                StatusCodes.Status403Forbidden,
                "No pharmacy for this user",
                "Dispensing happens at the pharmacist's pharmacy: add the user with --site <GLN of the pharmacy>."));
        }

        var now = time.GetUtcNow();
        var index = (await log.AppendAsync(LogLeafKind.HubDecision, DispenseDecision.For(decision, pack, site, actor, now).Encode(), cancellationToken)).Index;
        var verdict = custody.VerdictAt(index);
        var reasons = verdict is null
            ? []
            : verdict.Findings.Where(f => f.Pack is null || f.Pack == pack).Select(f => VerificationResponse.Code(f.Reason)).Distinct(StringComparer.Ordinal).ToList();
        var done = verdict is { Verdict: Verdict.Green };
        var result = done ? "done" : "refused: " + string.Join(',', reasons);
        LogDecision(decision, pack, site, actor, index, result);
        return (new DispenseOutcome(index, done, reasons, verifier.Answer(pack, null, null, site, now)), null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Decision} of {Pack} at {Site} by {Actor}, log index {Index}: {Result}")]
    private partial void LogDecision(string decision, PackKey pack, Gln site, string actor, long index, string result);
}
