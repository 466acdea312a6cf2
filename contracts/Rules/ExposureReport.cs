namespace SupplyChain.Contracts.Rules;

/// <summary>What a pack's temperatures were, judged against its profile (PROTOCOL.md §6.3).</summary>
/// <param name="From">Start of the exposure judged (commissioning, or the last quality release).</param>
/// <param name="Until">The time of evaluation.</param>
/// <param name="Monitored">Time with a known temperature.</param>
/// <param name="OutOfRange">Total known time outside the range.</param>
/// <param name="LongestExcursion">Longest unbroken known time outside the range.</param>
/// <param name="Unknown">Time with no reading, or in a gap longer than the profile's limit.</param>
/// <param name="Mkt">MKT of all known time, °C; <see langword="null"/> without any.</param>
/// <param name="WindowMkt">MKT of the known time in the profile's window ending at <paramref name="Until"/>, °C.</param>
/// <param name="Breaches">Limits exceeded; empty when the exposure is acceptable.</param>
/// <param name="UnknownTooLong">Whether <paramref name="Unknown"/> exceeds the profile's allowance.</param>
public sealed record ExposureReport(
    DateTimeOffset From,
    DateTimeOffset Until,
    TimeSpan Monitored,
    TimeSpan OutOfRange,
    TimeSpan LongestExcursion,
    TimeSpan Unknown,
    double? Mkt,
    double? WindowMkt,
    IReadOnlyList<ColdChainBreach> Breaches,
    bool UnknownTooLong)
{
    /// <summary>Whether any limit was exceeded.</summary>
    public bool Compromised => Breaches.Count > 0;
}
