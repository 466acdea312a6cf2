namespace SupplyChain.Hub.Users;

/// <summary>
/// Finds the active user holding an API token: the one lookup behind both <c>Authorization: Bearer</c> and the web
/// sign-in form, so the two cannot disagree on what a valid token is. Only the token's SHA-256 is looked up.
/// </summary>
internal static class TokenLookup
{
    public static bool TryFindActive(IUserStore users, ReadOnlySpan<char> token, out UserRecord user, out string reason)
    {
        user = null!;
        if (!ApiToken.IsWellFormed(token))
        {
            reason = "the token is malformed";
            return false;
        }

        if (users.FindByTokenHash(ApiToken.Hash(token)) is not { IsActive: true } found)
        {
            reason = "the token is unknown or revoked";
            return false;
        }

        user = found;
        reason = string.Empty;
        return true;
    }
}
