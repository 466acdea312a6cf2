using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;

namespace SupplyChain.Hub.Custody;

/// <summary>Cold-chain profiles per product (DESIGN §6 "Cold chain"), section <c>ColdChain</c>.</summary>
internal sealed class ColdChainOptions
{
    public const string Section = "ColdChain";

    /// <summary>Profiles keyed by GTIN-14 (<c>ColdChain:Profiles:{gtin}:LowerCelsius</c>, …). Products without one are not monitored.</summary>
    public Dictionary<string, ColdChainProfileOptions> Profiles { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The profiles by GTIN, or the first problem, naming its configuration key.</summary>
    public bool TryBuild(out Dictionary<Gtin, ColdChainProfile> profiles, out string problem)
    {
        profiles = [];
        problem = string.Empty;
        foreach (var (key, settings) in Profiles)
        {
            var path = $"{Section}:Profiles:{key}";
            if (!Gtin.TryParse(key, out var gtin, out var reason))
            {
                problem = $"{path}: {reason}";
                return false;
            }

            if (settings.LowerCelsius is not { } lower || settings.UpperCelsius is not { } upper)
            {
                problem = $"{path}: LowerCelsius and UpperCelsius are required.";
                return false;
            }

            var profile = new ColdChainProfile
            {
                LowerCelsius = lower,
                UpperCelsius = upper,
                AllowedOutOfRange = settings.AllowedOutOfRange,
                MaxExcursion = settings.MaxExcursion,
                MktLimitCelsius = settings.MktLimitCelsius,
                MktWindow = settings.MktWindow,
                MaxReadingGap = settings.MaxReadingGap,
                AllowedUnknown = settings.AllowedUnknown,
            };
            if (!profile.IsValid(out reason))
            {
                problem = $"{path}: {reason}";
                return false;
            }

            if (!profiles.TryAdd(gtin, profile))
            {
                problem = $"{path}: GTIN {gtin.Value} has two profiles.";
                return false;
            }
        }

        return true;
    }
}

/// <summary>One product's profile as configured; see <see cref="ColdChainProfile"/> for each member's meaning.</summary>
internal sealed class ColdChainProfileOptions
{
    public decimal? LowerCelsius { get; init; }

    public decimal? UpperCelsius { get; init; }

    public TimeSpan AllowedOutOfRange { get; init; }

    public TimeSpan MaxExcursion { get; init; }

    public double? MktLimitCelsius { get; init; }

    public TimeSpan MktWindow { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan MaxReadingGap { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan AllowedUnknown { get; init; }
}

/// <summary>Fails the start with the offending key when a profile is wrong (STYLE rule 7).</summary>
internal sealed class ColdChainOptionsValidator : IValidateOptions<ColdChainOptions>
{
    public ValidateOptionsResult Validate(string? name, ColdChainOptions options) =>
        options.TryBuild(out _, out var problem) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
}
