namespace SupplyChain.Contracts.Rules;

/// <summary>Which limit of a <see cref="ColdChainProfile"/> a pack's exposure broke (PROTOCOL.md §6.3).</summary>
public enum ColdChainBreach
{
    /// <summary>Total time out of range exceeded <see cref="ColdChainProfile.AllowedOutOfRange"/>.</summary>
    CumulativeOutOfRange = 1,

    /// <summary>One excursion lasted longer than <see cref="ColdChainProfile.MaxExcursion"/>.</summary>
    SingleExcursion = 2,

    /// <summary>MKT over the window exceeded <see cref="ColdChainProfile.MktLimitCelsius"/>.</summary>
    MktOverLimit = 3,
}
