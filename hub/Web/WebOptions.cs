using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Hub.Web;

/// <summary>The "Web" configuration section: the web UI's session length and the rate limits (docs/API.md "Rate limits").</summary>
internal sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Hours a session lasts without a request (sliding). Default 8: one shift.</summary>
    [Range(1, 24)]
    public int SessionHours { get; set; } = 8;

    /// <summary>
    /// Sign-in attempts per minute from one client IP address (fixed window). Default 5: enough for typos, far too few to
    /// guess a 256-bit token, and it keeps a password-guessing script from loading the user store.
    /// </summary>
    [Range(1, 10_000)]
    public int SignInPerMinute { get; set; } = 5;

    /// <summary>
    /// Verifications per minute per signed-in user, or per client IP address for anonymous API calls (fixed window).
    /// Default 120: a counter scanning a whole tote stays well below it.
    /// </summary>
    [Range(1, 1_000_000)]
    public int VerifyPerMinute { get; set; } = 120;
}
