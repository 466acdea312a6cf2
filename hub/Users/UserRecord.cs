namespace SupplyChain.Hub.Users;

/// <summary>A person who may use the API: their role, the SHA-256 of their token, and when they were added or revoked.</summary>
internal sealed record UserRecord(UserName Name, UserRole Role, string TokenHash, DateTimeOffset Created, DateTimeOffset? RevokedAt = null)
{
    public bool IsActive => RevokedAt is null;
}
