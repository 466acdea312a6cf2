namespace SupplyChain.Contracts.Rules;

/// <summary>
/// A product's storage profile (PROTOCOL.md §6.3), from configuration. A pack is compromised when its known exposure
/// exceeds any limit; unknown time beyond <see cref="AllowedUnknown"/> makes it unverifiable, not compromised.
/// </summary>
public sealed record ColdChainProfile
{
    /// <summary>Lowest allowed temperature, °C (inclusive), e.g. 2.</summary>
    public required decimal LowerCelsius { get; init; }

    /// <summary>Highest allowed temperature, °C (inclusive), e.g. 8.</summary>
    public required decimal UpperCelsius { get; init; }

    /// <summary>Total time out of range the product tolerates. Default: none.</summary>
    public TimeSpan AllowedOutOfRange { get; init; }

    /// <summary>Longest single excursion the product tolerates. Default: none.</summary>
    public TimeSpan MaxExcursion { get; init; }

    /// <summary>MKT limit, °C, over <see cref="MktWindow"/>; <see langword="null"/> for no MKT limit.</summary>
    public double? MktLimitCelsius { get; init; }

    /// <summary>The window MKT is taken over, ending at the time of evaluation. Default: 30 days.</summary>
    public TimeSpan MktWindow { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Longest gap between two readings over which the earlier reading still holds; a longer gap is unknown. Default: 15 minutes.</summary>
    public TimeSpan MaxReadingGap { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Total unknown time tolerated before the pack is unverifiable. Default: none.</summary>
    public TimeSpan AllowedUnknown { get; init; }

    /// <summary>Checks the values.</summary>
    /// <param name="reason">What is wrong; empty when valid.</param>
    /// <returns>Whether the profile can be used.</returns>
    public bool IsValid(out string reason)
    {
        reason = LowerCelsius > UpperCelsius ? "LowerCelsius is above UpperCelsius."
            : AllowedOutOfRange < TimeSpan.Zero || MaxExcursion < TimeSpan.Zero || AllowedUnknown < TimeSpan.Zero ? "Allowances cannot be negative."
            : MktWindow <= TimeSpan.Zero ? "MktWindow must be positive."
            : MaxReadingGap <= TimeSpan.Zero ? "MaxReadingGap must be positive."
            : MktLimitCelsius is { } limit && (double.IsNaN(limit) || limit <= -Mkt.ZeroCelsius) ? "MktLimitCelsius must be a temperature above absolute zero."
            : string.Empty;
        return reason.Length == 0;
    }

    /// <summary>Whether a reading is inside the range (limits inclusive).</summary>
    /// <param name="celsius">The reading.</param>
    /// <returns>True if in range.</returns>
    public bool InRange(decimal celsius) => celsius >= LowerCelsius && celsius <= UpperCelsius;
}
