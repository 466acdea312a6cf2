using Microsoft.AspNetCore.Authorization;

namespace SupplyChain.Hub.Users;

/// <summary>
/// The authorization policies endpoints and pages name (docs/API.md "Users and roles"). The same names serve both: the
/// hub's default scheme authenticates <c>/v1</c> with bearer tokens and pages with the session cookie, so a page says
/// <c>[Authorize(Policy = UserPolicies.Quality)]</c> and an endpoint <c>.RequireAuthorization(UserPolicies.Quality)</c>.
/// </summary>
internal static class UserPolicies
{
    /// <summary>Any signed-in user, whatever the role: reading recalls.</summary>
    public const string SignedIn = "signed-in";

    /// <summary>Recalls opened and closed, quarantine releases: <see cref="UserRole.Quality"/>.</summary>
    public const string Quality = "quality";

    /// <summary>Recall previews (nothing logged): quality and auditors.</summary>
    public const string RecallPreview = "recall-preview";

    /// <summary>Dispensing and undoing a dispense: <see cref="UserRole.Pharmacist"/>.</summary>
    public const string Pharmacist = "pharmacist";

    /// <summary>Device enrolment and revocation: <see cref="UserRole.Admin"/>.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// Reading the device list and the stations' health (last seen, backlog, sensor faults): admins, auditors and
    /// warehouse staff, whose docks and fridges these stations are. Pharmacists and quality users have no use for it.
    /// </summary>
    public const string DeviceReader = "device-reader";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(SignedIn, policy => policy.RequireAuthenticatedUser());
        options.AddPolicy(Quality, policy => policy.RequireRole(UserRoles.Name(UserRole.Quality)));
        options.AddPolicy(RecallPreview, policy => policy.RequireRole(UserRoles.Name(UserRole.Quality), UserRoles.Name(UserRole.Auditor)));
        options.AddPolicy(Pharmacist, policy => policy.RequireRole(UserRoles.Name(UserRole.Pharmacist)));
        options.AddPolicy(Admin, policy => policy.RequireRole(UserRoles.Name(UserRole.Admin)));
        options.AddPolicy(DeviceReader, policy => policy.RequireRole(UserRoles.Name(UserRole.Admin), UserRoles.Name(UserRole.Auditor), UserRoles.Name(UserRole.Warehouse)));
    }
}
