using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Rules;

/// <summary>
/// One entry of the log as the rules see it (PROTOCOL.md §6.1): a device event or a hub decision. The rules fold facts
/// in log order; <see cref="At"/> is the only clock they use.
/// </summary>
public abstract record ChainFact
{
    private protected ChainFact()
    {
    }

    /// <summary>The time the rules judge the fact at: the event time of a device event, the decision time of a hub decision.</summary>
    public abstract DateTimeOffset At { get; }
}

/// <summary>A verified device event (custody or sensor) accepted into the log.</summary>
/// <param name="Id">Its event id (SHA-256 of the payload, PROTOCOL.md §3.5); a dispense undo names the dispense by it.</param>
/// <param name="Event">The decoded event.</param>
public sealed record DeviceEventFact(EventId Id, CustodyEvent Event) : ChainFact
{
    /// <inheritdoc/>
    public override DateTimeOffset At => Event.EventTime;
}

/// <summary>Hub decision: a device may sign events for <paramref name="Site"/> in <paramref name="Role"/>.</summary>
/// <param name="DeviceId">The device (<c>ct:deviceId</c>).</param>
/// <param name="Site">The GLN of the site it belongs to; its events must name that site as read point.</param>
/// <param name="Role">What the site does.</param>
/// <param name="Actor">The person who enrolled it.</param>
/// <param name="Time">When.</param>
public sealed record DeviceEnrolled(string DeviceId, Gln Site, SiteRole Role, string Actor, DateTimeOffset Time) : ChainFact
{
    /// <inheritdoc/>
    public override DateTimeOffset At => Time;
}

/// <summary>Hub decision: a device may no longer sign events.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Actor">The person who revoked it.</param>
/// <param name="Reason">Why.</param>
/// <param name="Time">When.</param>
public sealed record DeviceRevoked(string DeviceId, string Actor, string Reason, DateTimeOffset Time) : ChainFact
{
    /// <inheritdoc/>
    public override DateTimeOffset At => Time;
}

/// <summary>Hub decision: a quality person opens a recall.</summary>
/// <param name="RecallId">Unique id of the recall.</param>
/// <param name="Scope">Which packs it covers.</param>
/// <param name="Actor">The person who opened it.</param>
/// <param name="Reason">Why.</param>
/// <param name="Time">When.</param>
public sealed record RecallOpened(string RecallId, RecallScope Scope, string Actor, string Reason, DateTimeOffset Time) : ChainFact
{
    /// <inheritdoc/>
    public override DateTimeOffset At => Time;
}

/// <summary>Hub decision: a recall is closed; its packs are no longer blocked by it.</summary>
/// <param name="RecallId">The recall.</param>
/// <param name="Actor">The person who closed it.</param>
/// <param name="Reason">Why.</param>
/// <param name="Time">When.</param>
public sealed record RecallClosed(string RecallId, string Actor, string Reason, DateTimeOffset Time) : ChainFact
{
    /// <inheritdoc/>
    public override DateTimeOffset At => Time;
}

/// <summary>
/// Hub decision: a quality person releases packs from quarantine after review: a cold-chain compromise, a broken
/// custody record and a suspect serial are cleared, and exposure is counted afresh from <paramref name="Time"/>.
/// </summary>
/// <param name="Packs">The packs released.</param>
/// <param name="Actor">The quality person.</param>
/// <param name="Reason">Why the packs are fit to use; required.</param>
/// <param name="Time">When.</param>
public sealed record QuarantineReleased(IReadOnlyList<PackKey> Packs, string Actor, string Reason, DateTimeOffset Time) : ChainFact
{
    /// <inheritdoc/>
    public override DateTimeOffset At => Time;
}

/// <summary>
/// Hub decision (PROTOCOL.md §4.6): a pharmacist dispenses a pack at their pharmacy through the hub (web UI or API). The
/// rules apply it exactly as a pharmacy device's dispense event (EU FMD Art. 25: decommissioned at the point of supply):
/// refused when the pack is recalled, expired, compromised, suspect, already decommissioned or not held at
/// <paramref name="Site"/>.
/// </summary>
/// <param name="Pack">The pack.</param>
/// <param name="Site">The GLN of the pharmacist's pharmacy.</param>
/// <param name="Actor">The pharmacist.</param>
/// <param name="Time">When.</param>
public sealed record PackDispensed(PackKey Pack, Gln Site, string Actor, DateTimeOffset Time) : ChainFact
{
    /// <inheritdoc/>
    public override DateTimeOffset At => Time;
}

/// <summary>
/// Hub decision (PROTOCOL.md §4.6): a pharmacist undoes the current dispense of a pack at their pharmacy, as a pharmacy
/// device's undo event does (EU Delegated Regulation 2016/161 Art. 13: same site, within ten days, never when recalled or
/// expired). Unlike a device undo it names no event: it undoes whichever dispense made the pack dispensed at
/// <paramref name="Site"/>.
/// </summary>
/// <param name="Pack">The pack.</param>
/// <param name="Site">The GLN of the pharmacist's pharmacy.</param>
/// <param name="Actor">The pharmacist.</param>
/// <param name="Time">When.</param>
public sealed record DispenseUndone(PackKey Pack, Gln Site, string Actor, DateTimeOffset Time) : ChainFact
{
    /// <inheritdoc/>
    public override DateTimeOffset At => Time;
}
