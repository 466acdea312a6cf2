using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Hub.Users;

/// <summary>
/// A person who may use the API: their role, the SHA-256 of their token, when they were added or revoked, and the site
/// they work at (a pharmacist's pharmacy: where their dispenses happen; optional for other roles).
/// </summary>
internal sealed record UserRecord(UserName Name, UserRole Role, string TokenHash, DateTimeOffset Created, DateTimeOffset? RevokedAt = null, Gln? Site = null)
{
    public bool IsActive => RevokedAt is null;
}
