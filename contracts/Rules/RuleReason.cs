namespace SupplyChain.Contracts.Rules;

/// <summary>Why a fact got a red verdict, or what an alert is about (PROTOCOL.md §6.7). Names are stable: acks and alerts carry them.</summary>
public enum RuleReason
{
    /// <summary>The signing device has no enrollment, or it was revoked.</summary>
    DeviceNotEnrolled = 1,

    /// <summary>The event's read point is not a GLN, or not the site its device is enrolled at.</summary>
    SiteMismatch = 2,

    /// <summary>The device's site role does not allow this event (commissioning: manufacturer; dispensing: pharmacy).</summary>
    RoleNotAllowed = 3,

    /// <summary>An epc or party of the event is not an identifier of the kind the event needs.</summary>
    BadIdentifier = 4,

    /// <summary>Commissioning of a serial that already exists.</summary>
    AlreadyCommissioned = 5,

    /// <summary>No such pack was commissioned.</summary>
    UnknownPack = 6,

    /// <summary>The site does not hold the pack.</summary>
    NotCustodian = 7,

    /// <summary>The pack is not in a state that allows this event (e.g. shipping a pack in transit).</summary>
    NotActive = 8,

    /// <summary>A receipt of a pack that was not shipped to the receiving site.</summary>
    UnexpectedReceipt = 9,

    /// <summary>The pack is covered by an open recall.</summary>
    Recalled = 10,

    /// <summary>The pack is past its expiry day.</summary>
    Expired = 11,

    /// <summary>The pack was already dispensed.</summary>
    AlreadyDispensed = 12,

    /// <summary>The pack was destroyed.</summary>
    Destroyed = 13,

    /// <summary>The pack was reported stolen.</summary>
    Stolen = 14,

    /// <summary>The pack's cold chain broke its profile (alert: it just did).</summary>
    ColdChainCompromised = 15,

    /// <summary>Too much of the pack's exposure has no readings.</summary>
    ColdChainUnknown = 16,

    /// <summary>The pack is a possible counterfeit (alert: it just became one).</summary>
    Suspect = 17,

    /// <summary>The pack's custody record is broken (alert: it just broke).</summary>
    CustodyBroken = 18,

    /// <summary>Dispensing or undoing at a site that did not receive the pack.</summary>
    NotReceivedAtThisSite = 19,

    /// <summary>A dispense undo more than 10 days after the dispense.</summary>
    UndoWindowPassed = 20,

    /// <summary>A dispense undo by another site than the one that dispensed.</summary>
    UndoOtherSite = 21,

    /// <summary>A dispense undo naming another event than the pack's dispense, or of a pack that is not dispensed.</summary>
    UndoNotMatching = 22,

    /// <summary>A return without a destination of a pack that was never received from anyone.</summary>
    NoReturnDestination = 23,

    /// <summary>A hub decision without the person who made it or without a reason.</summary>
    MissingActorOrReason = 24,

    /// <summary>Closing a recall that is not open, or opening one whose id is already used.</summary>
    RecallIdConflict = 25,
}

/// <summary>One reason, about one pack when it concerns a pack.</summary>
/// <param name="Reason">The reason.</param>
/// <param name="Pack">The pack, if the reason is about one.</param>
public readonly record struct RuleFinding(RuleReason Reason, PackKey? Pack);
