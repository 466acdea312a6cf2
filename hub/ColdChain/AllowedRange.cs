using SupplyChain.Contracts.Rules;

namespace SupplyChain.Hub.ColdChain;

/// <summary>
/// The range a place's readings are judged against on the cold-chain page: profiles are per product (PROTOCOL.md §6.3),
/// a fridge or container holds several, so a place gets the intersection of the profiles of the products that have
/// been there, or of every configured profile when none of those has one.
/// </summary>
/// <param name="Lower">Lowest allowed °C, inclusive.</param>
/// <param name="Upper">Highest allowed °C, inclusive.</param>
/// <param name="MaxReadingGap">The shortest <see cref="ColdChainProfile.MaxReadingGap"/> of the profiles: older readings are not recent.</param>
internal readonly record struct AllowedRange(decimal Lower, decimal Upper, TimeSpan MaxReadingGap)
{
    /// <summary>How long a place may go without a reading when no profile applies (the profiles' default gap).</summary>
    public static readonly TimeSpan DefaultReadingGap = new ColdChainProfile { LowerCelsius = 0, UpperCelsius = 0 }.MaxReadingGap;

    public bool Contains(decimal celsius) => celsius >= Lower && celsius <= Upper;

    /// <summary>The intersection of the profiles, or null when there are none or they do not overlap.</summary>
    public static AllowedRange? Of(IEnumerable<ColdChainProfile> profiles)
    {
        AllowedRange? range = null;
        foreach (var profile in profiles)
        {
            range = range is { } r
                ? new AllowedRange(Math.Max(r.Lower, profile.LowerCelsius), Math.Min(r.Upper, profile.UpperCelsius), r.MaxReadingGap < profile.MaxReadingGap ? r.MaxReadingGap : profile.MaxReadingGap)
                : new AllowedRange(profile.LowerCelsius, profile.UpperCelsius, profile.MaxReadingGap);
        }

        return range is { } result && result.Lower <= result.Upper ? result : null;
    }
}
