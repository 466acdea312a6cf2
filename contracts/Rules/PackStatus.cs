namespace SupplyChain.Contracts.Rules;

/// <summary>Where a pack is in its life, from custody events alone (PROTOCOL.md §6.2).</summary>
public enum PackLifecycle
{
    /// <summary>Held by its custodian, available.</summary>
    Active = 1,

    /// <summary>Shipped or returned, not yet received.</summary>
    InTransit = 2,

    /// <summary>Dispensed to a patient (decommissioned).</summary>
    Dispensed = 3,

    /// <summary>Destroyed (decommissioned).</summary>
    Destroyed = 4,

    /// <summary>Reported stolen (decommissioned).</summary>
    Stolen = 5,
}

/// <summary>
/// The one status a verification answer reports, like EU FMD/EMVS and US DSCSA VRS (PROTOCOL.md §6.6). When several apply,
/// the first in this order wins: unknown, destroyed, stolen, suspect, recalled, compromised, expired, dispensed, in transit, active.
/// </summary>
public enum PackStatus
{
    /// <summary>Available.</summary>
    Active = 1,

    /// <summary>On its way to a party.</summary>
    InTransit = 2,

    /// <summary>Dispensed.</summary>
    Dispensed = 3,

    /// <summary>Covered by an open recall.</summary>
    Recalled = 4,

    /// <summary>Past its expiry date.</summary>
    Expired = 5,

    /// <summary>Destroyed.</summary>
    Destroyed = 6,

    /// <summary>Reported stolen.</summary>
    Stolen = 7,

    /// <summary>Possible counterfeit (e.g. dispensed twice) or seen where its custody record says it cannot be.</summary>
    Suspect = 8,

    /// <summary>Its cold chain broke the product profile and no quality person has released it.</summary>
    Compromised = 9,

    /// <summary>No such pack was ever commissioned.</summary>
    Unknown = 10,
}
