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
    public UserResult Add(string name, string role)
    {
        if (!UserName.TryParse(name, out var userName, out var why))
        {
            return UserResult.Refused($"bad name: {why}");
        }

        if (!UserRoles.TryParse(role, out var userRole))
        {
            return UserResult.Refused($"bad role: use one of {UserRoles.All}");
        }

        var token = ApiToken.Generate();
        var user = new UserRecord(userName, userRole, ApiToken.Hash(token), time.GetUtcNow());
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
