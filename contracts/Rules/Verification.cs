using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Rules;

/// <summary>The verification rule (PROTOCOL.md §6.6); <see cref="CustodyRules.Verify"/> is its entry point.</summary>
internal static class Verification
{
    public static VerificationAnswer Answer(
        PackKey pack, PackState? state, Lot? scannedLot, Expiry? scannedExpiry, Gln? site, DateTimeOffset now, Func<PackState, ExposureReport?> evaluate)
    {
        if (state is null)
        {
            return new VerificationAnswer(pack, false, PackStatus.Unknown, [VerificationFailure.UnknownSerial], null, null, null, null);
        }

        var reasons = new SortedSet<VerificationFailure>();
        if (scannedLot is { } lot && !string.Equals(lot.Value, state.Lot, StringComparison.Ordinal))
        {
            reasons.Add(VerificationFailure.LotMismatch);
        }

        if (scannedExpiry is { } expiry && expiry.Date != state.Expiry)
        {
            reasons.Add(VerificationFailure.ExpiryMismatch);
        }

        if (state.IsExpiredAt(now))
        {
            reasons.Add(VerificationFailure.Expired);
        }

        if (state.Recalls.Count > 0)
        {
            reasons.Add(VerificationFailure.Recalled);
        }

        switch (state.Lifecycle)
        {
            case PackLifecycle.Dispensed:
                reasons.Add(VerificationFailure.AlreadyDispensed);
                break;
            case PackLifecycle.Destroyed:
                reasons.Add(VerificationFailure.Destroyed);
                break;
            case PackLifecycle.Stolen:
                reasons.Add(VerificationFailure.Stolen);
                break;
            case PackLifecycle.InTransit when site is not null:
            case PackLifecycle.Active when site is { } asking && state.Custodian != asking:
                reasons.Add(VerificationFailure.NotReceivedAtThisSite);
                break;
        }

        if (state.Suspect)
        {
            reasons.Add(VerificationFailure.Suspect);
        }

        if (state.CustodyBroken)
        {
            reasons.Add(VerificationFailure.CustodyBroken);
        }

        var exposure = evaluate(state);
        var compromised = state.IsCompromised || exposure is { Compromised: true };
        if (compromised)
        {
            reasons.Add(VerificationFailure.ColdChainCompromised);
        }

        if (exposure is { UnknownTooLong: true })
        {
            reasons.Add(VerificationFailure.ColdChainUnknown);
        }

        // The latched breaches, plus any the exposure has broken since (the compromise latched with what it saw then).
        IReadOnlyList<ColdChainBreach> breaches = [.. state.Compromise.Union(exposure?.Breaches ?? []).Order()];
        var status = (state with { Compromise = breaches }).StatusAt(now);
        var custody = new CustodySummary(
            state.Lifecycle,
            state.Custodian,
            state.Lifecycle == PackLifecycle.InTransit ? state.ShippedTo : null,
            state.Presence.Count > 0 && state.Presence[^1].To is null ? state.Presence[^1].Place : null,
            state.Handoffs,
            state.Since,
            state.DispensedAt,
            state.DispensedTime,
            state.CustodyBroken);
        var coldChain = new ColdChainSummary(exposure is not null, compromised, breaches, state.CompromisedTime, state.ReleasedTime, exposure);
        return new VerificationAnswer(state.Key, reasons.Count == 0, status, [.. reasons], state.Lot, state.Expiry, custody, coldChain);
    }
}
