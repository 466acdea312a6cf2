using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Rules;

/// <summary>Why a pack failed verification (PROTOCOL.md §6.6). Names are stable: the API and the web UI show them.</summary>
public enum VerificationFailure
{
    /// <summary>No such pack was commissioned (EMVS "product not found" / VRS "no match").</summary>
    UnknownSerial = 1,

    /// <summary>The scanned lot differs from the commissioned lot.</summary>
    LotMismatch = 2,

    /// <summary>The scanned expiry differs from the commissioned expiry.</summary>
    ExpiryMismatch = 3,

    /// <summary>The expiry day is over.</summary>
    Expired = 4,

    /// <summary>An open recall covers it.</summary>
    Recalled = 5,

    /// <summary>It was dispensed.</summary>
    AlreadyDispensed = 6,

    /// <summary>Possible counterfeit.</summary>
    Suspect = 7,

    /// <summary>Its custody record and the physical evidence disagree.</summary>
    CustodyBroken = 8,

    /// <summary>The asking site does not hold it: it is elsewhere or still in transit.</summary>
    NotReceivedAtThisSite = 9,

    /// <summary>Its cold chain broke the product profile.</summary>
    ColdChainCompromised = 10,

    /// <summary>Too much of its exposure has no readings.</summary>
    ColdChainUnknown = 11,

    /// <summary>It was destroyed.</summary>
    Destroyed = 12,

    /// <summary>It was reported stolen.</summary>
    Stolen = 13,
}

/// <summary>Who holds a pack and how it got there.</summary>
/// <param name="Lifecycle">Life cycle from custody events.</param>
/// <param name="Custodian">The party holding it (the sender, while in transit).</param>
/// <param name="ShippedTo">The party it travels to, while in transit.</param>
/// <param name="Location">Where it is now: its open presence (a site, a container, or <see langword="null"/> in unmonitored transport or once decommissioned).</param>
/// <param name="Handoffs">Completed receipts.</param>
/// <param name="Since">When custody or life cycle last changed.</param>
/// <param name="DispensedAt">Where it was dispensed, while dispensed.</param>
/// <param name="DispensedTime">When, while dispensed.</param>
/// <param name="Broken">Whether the custody record is broken.</param>
public sealed record CustodySummary(
    PackLifecycle Lifecycle,
    Gln Custodian,
    Gln? ShippedTo,
    Place? Location,
    int Handoffs,
    DateTimeOffset Since,
    Gln? DispensedAt,
    DateTimeOffset? DispensedTime,
    bool Broken);

/// <summary>What a pack's temperatures were.</summary>
/// <param name="Profiled">Whether the product has a cold-chain profile; without one the rest is empty.</param>
/// <param name="Compromised">Latched or found now; either way it fails until released.</param>
/// <param name="Breaches">The limits broken: the latched ones and those the exposure breaks now, in <see cref="ColdChainBreach"/> order.</param>
/// <param name="CompromisedTime">When the compromise was latched.</param>
/// <param name="ReleasedTime">The last quality release; exposure counts from here.</param>
/// <param name="Exposure">The exposure since commissioning or release, evaluated at the time of the question.</param>
public sealed record ColdChainSummary(
    bool Profiled,
    bool Compromised,
    IReadOnlyList<ColdChainBreach> Breaches,
    DateTimeOffset? CompromisedTime,
    DateTimeOffset? ReleasedTime,
    ExposureReport? Exposure);

/// <summary>
/// A verification answer (PROTOCOL.md §6.6), shaped like EU FMD/EMVS and US DSCSA VRS responses: verified or not, one
/// status, every failure reason, and summaries of custody and cold chain.
/// </summary>
/// <param name="Pack">The pack asked about.</param>
/// <param name="Verified">True exactly when <paramref name="Reasons"/> is empty: safe to use at the asking site.</param>
/// <param name="Status">The single status.</param>
/// <param name="Reasons">Every failure, in enum order.</param>
/// <param name="Lot">Commissioned lot; <see langword="null"/> for an unknown pack.</param>
/// <param name="Expiry">Commissioned expiry; <see langword="null"/> for an unknown pack.</param>
/// <param name="Custody">Custody summary; <see langword="null"/> for an unknown pack.</param>
/// <param name="ColdChain">Cold-chain summary; <see langword="null"/> for an unknown pack.</param>
public sealed record VerificationAnswer(
    PackKey Pack,
    bool Verified,
    PackStatus Status,
    IReadOnlyList<VerificationFailure> Reasons,
    string? Lot,
    DateOnly? Expiry,
    CustodySummary? Custody,
    ColdChainSummary? ColdChain);
