using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Rules;

/// <summary>
/// Everything the rules know about one pack (PROTOCOL.md §6.2). Immutable: every change makes a new state, so a
/// <see cref="PackChange"/> can show before and after.
/// </summary>
public sealed record PackState
{
    /// <summary>The pack.</summary>
    public required PackKey Key { get; init; }

    /// <summary>Lot from commissioning.</summary>
    public required string Lot { get; init; }

    /// <summary>Expiry from commissioning: the pack may be used through this day (UTC).</summary>
    public required DateOnly Expiry { get; init; }

    /// <summary>When it was commissioned.</summary>
    public required DateTimeOffset CommissionedTime { get; init; }

    /// <summary>Life cycle from custody events.</summary>
    public required PackLifecycle Lifecycle { get; init; }

    /// <summary>The party that holds it (for a pack in transit, the one that shipped it, until it is received).</summary>
    public required Gln Custodian { get; init; }

    /// <summary>The party it was shipped or returned to, while in transit.</summary>
    public Gln? ShippedTo { get; init; }

    /// <summary>The party it was last received from, if any (where a return without a destination goes).</summary>
    public Gln? ReceivedFrom { get; init; }

    /// <summary>Whether the current transit is a return (its destination may receive it even if recalled, expired, compromised or suspect).</summary>
    public bool IsReturn { get; init; }

    /// <summary>The container it travels in, while in transit.</summary>
    public Sscc? Container { get; init; }

    /// <summary>Number of completed handoffs (receipts).</summary>
    public int Handoffs { get; init; }

    /// <summary>When custody or life cycle last changed.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>Where it was dispensed, while dispensed.</summary>
    public Gln? DispensedAt { get; init; }

    /// <summary>When it was dispensed, while dispensed.</summary>
    public DateTimeOffset? DispensedTime { get; init; }

    /// <summary>The dispensing event, while dispensed (an undo must name it).</summary>
    public EventId? DispenseEvent { get; init; }

    /// <summary>Possible counterfeit: dispensed twice, or seen where its custody record says it cannot be.</summary>
    public bool Suspect { get; init; }

    /// <summary>Its custody record and the physical evidence disagree (an unexpected receipt or a ship by a non-custodian).</summary>
    public bool CustodyBroken { get; init; }

    /// <summary>The profile breaches that compromised it, latched until a quality release; empty if not compromised.</summary>
    public IReadOnlyList<ColdChainBreach> Compromise { get; init; } = [];

    /// <summary>When it was compromised, while compromised.</summary>
    public DateTimeOffset? CompromisedTime { get; init; }

    /// <summary>The last quality release: exposure is counted from here.</summary>
    public DateTimeOffset? ReleasedTime { get; init; }

    /// <summary>Open recalls covering it, sorted ordinally.</summary>
    public IReadOnlyList<string> Recalls { get; init; } = [];

    /// <summary>Where it has been, oldest first; the last entry is open unless the pack left the chain.</summary>
    public IReadOnlyList<Presence> Presence { get; init; } = [];

    /// <summary>Whether its cold chain is latched as compromised.</summary>
    public bool IsCompromised => Compromise.Count > 0;

    /// <summary>Whether <paramref name="now"/> is after the expiry day (UTC).</summary>
    /// <param name="now">The time of the question.</param>
    /// <returns>True once the expiry day is over.</returns>
    public bool IsExpiredAt(DateTimeOffset now) => Expiry < DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>The single status, from the latched flags and <paramref name="now"/>, in the order of <see cref="PackStatus"/>.</summary>
    /// <param name="now">The time of the question (for expiry).</param>
    /// <returns>The status.</returns>
    public PackStatus StatusAt(DateTimeOffset now) =>
        Lifecycle == PackLifecycle.Destroyed ? PackStatus.Destroyed
        : Lifecycle == PackLifecycle.Stolen ? PackStatus.Stolen
        : Suspect || CustodyBroken ? PackStatus.Suspect
        : Recalls.Count > 0 ? PackStatus.Recalled
        : IsCompromised ? PackStatus.Compromised
        : IsExpiredAt(now) ? PackStatus.Expired
        : Lifecycle == PackLifecycle.Dispensed ? PackStatus.Dispensed
        : Lifecycle == PackLifecycle.InTransit ? PackStatus.InTransit
        : PackStatus.Active;
}
