using SupplyChain.Contracts.Events;

namespace SupplyChain.Hub.Web;

/// <summary>
/// The API's codes (verification reasons, rule reasons, statuses, event kinds) in the words a pharmacist or a quality
/// manager uses. Unknown codes are shown as they are rather than hidden.
/// </summary>
internal static class PlainWords
{
    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["unknown_serial"] = "Unknown pack: this serial was never commissioned by its maker. Possible counterfeit: keep it apart and report it.",
        ["unknown_pack"] = "Unknown pack: this serial was never commissioned by its maker.",
        ["lot_mismatch"] = "The lot printed on the pack is not the lot this serial was made in.",
        ["expiry_mismatch"] = "The expiry printed on the pack is not the one this serial was made with.",
        ["expired"] = "Expired.",
        ["recalled"] = "Recalled: this pack is covered by an open recall. Quarantine it and return it.",
        ["already_dispensed"] = "Already dispensed: this pack was handed out before. A second dispense points to a copied serial.",
        ["suspect"] = "Suspect: this serial was seen where it should not be (a possible copy). Quarantine it until quality releases it.",
        ["custody_broken"] = "Custody broken: its chain of custody has a gap. Quarantine it until quality releases it.",
        ["not_received_at_this_site"] = "Not received at this pharmacy: the records show it held elsewhere or still in transit.",
        ["cold_chain_compromised"] = "Cold chain broken: it spent too long outside its allowed temperature range.",
        ["cold_chain_unknown"] = "Cold chain unknown: its temperature was not recorded for too long.",
        ["destroyed"] = "Destroyed: this pack was recorded as destroyed.",
        ["stolen"] = "Stolen: this pack was reported stolen. Keep it and report it.",
        ["not_custodian"] = "This site does not hold the pack.",
        ["not_active"] = "The pack is not in stock (dispensed, in transit or gone).",
        ["undo_window_passed"] = "Too late to undo: a dispense can be undone within ten days only.",
        ["undo_other_site"] = "Only the pharmacy that dispensed it can undo the dispense.",
        ["undo_not_matching"] = "There is no dispense of this pack to undo.",
        ["missing_actor_or_reason"] = "The decision names no person or no reason.",
    };

    private static readonly Dictionary<string, string> Statuses = new(StringComparer.Ordinal)
    {
        ["active"] = "in stock",
        ["in_transit"] = "in transit",
        ["dispensed"] = "dispensed",
        ["recalled"] = "recalled",
        ["expired"] = "expired",
        ["destroyed"] = "destroyed",
        ["stolen"] = "stolen",
        ["suspect"] = "suspect",
        ["compromised"] = "cold chain broken",
        ["unknown"] = "unknown",
        ["quarantined"] = "quarantined",
        ["returned"] = "returned",
        ["dispensed_before"] = "dispensed before the recall",
    };

    /// <summary>A reason code (<c>recalled</c>, <c>not_received_at_this_site</c>) as a sentence.</summary>
    public static string Reason(string code) => Reasons.GetValueOrDefault(code, code.Replace('_', ' '));

    /// <summary>A status or progress code as a word or two.</summary>
    public static string Status(string code) => Statuses.GetValueOrDefault(code, code.Replace('_', ' '));

    /// <summary>What a custody event did, as a past-tense verb.</summary>
    public static string Event(CustodyEventKind kind) => kind switch
    {
        CustodyEventKind.Commissioning => "Commissioned",
        CustodyEventKind.Shipping => "Shipped",
        CustodyEventKind.Receiving => "Received",
        CustodyEventKind.Dispensing => "Dispensed",
        CustodyEventKind.DispenseUndo => "Dispense undone",
        CustodyEventKind.Destroying => "Destroyed",
        CustodyEventKind.Returned => "Returned",
        CustodyEventKind.Stolen => "Reported stolen",
        CustodyEventKind.SensorReport => "Temperatures reported",
        CustodyEventKind.SensorAlarm => "Temperature alarm",
        _ => kind.ToString(),
    };

    /// <summary>A time as people read it on the page: UTC to the minute.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
