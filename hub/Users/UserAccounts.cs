using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Hub.Users;

/// <summary>The outcome of adding or revoking a user: the user, the new token (shown once), or why it was refused.</summary>
internal sealed record UserResult(UserRecord? User, string? Token, string? Error)
{
    public bool IsSuccess => Error is null;

    public static UserResult Refused(string error) => new(null, null, error);
}

/// <summary>Adds and revokes users: the one place that issues tokens, used by the <c>users</c> command.</summary>
internal sealed class UserAccounts(IUserStore store, TimeProvider time)
{
    /// <summary>
    /// Adds a user. <paramref name="site"/> is the GLN of the site they work at: required for a pharmacist (their dispenses
    /// are made at their pharmacy, PROTOCOL.md §4.6), optional otherwise.
    /// </summary>
    public UserResult Add(string name, string role, string? site = null)
    {
        if (!UserName.TryParse(name, out var userName, out var why))
        {
            return UserResult.Refused($"bad name: {why}");
        }

        if (!UserRoles.TryParse(role, out var userRole))
        {
            return UserResult.Refused($"bad role: use one of {UserRoles.All}");
        }

        Gln? userSite = null;
        if (site is not null)
        {
            if (!Gln.TryParse(site, out var gln, out why))
            {
                return UserResult.Refused($"bad site: {why}");
            }

            userSite = gln;
        }
        else if (userRole == UserRole.Pharmacist)
        {
            return UserResult.Refused("a pharmacist needs --site, the GLN of their pharmacy (dispenses are made there)");
        }

        var token = ApiToken.Generate();
        var user = new UserRecord(userName, userRole, ApiToken.Hash(token), time.GetUtcNow(), Site: userSite);
        if (!store.TryAdd(user))
        {
            return UserResult.Refused($"user {userName} already exists (names of revoked users are not reused)");
        }

        return new UserResult(user, token, null);
    }

    public UserResult Revoke(string name)
    {
        if (!UserName.TryParse(name, out var userName, out var why))
        {
            return UserResult.Refused($"bad name: {why}");
        }

        if (!store.TryRevoke(userName, time.GetUtcNow()))
        {
            return UserResult.Refused(store.Find(userName) is null ? $"no user {userName}" : $"user {userName} is already revoked");
        }

        return new UserResult(store.Find(userName), null, null);
    }
}
