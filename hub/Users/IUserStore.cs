namespace SupplyChain.Hub.Users;

/// <summary>
/// Where users are kept: LiteDB by default (<see cref="LiteDbUserStore"/>). Bearer tokens today and a web sign-in later
/// both resolve a person through <see cref="FindByTokenHash"/>; the session cookie then carries the same claims
/// (<see cref="UserPrincipal"/>).
/// </summary>
internal interface IUserStore
{
    UserRecord? Find(UserName name);

    /// <summary>The user holding the token with this hash, active or revoked.</summary>
    UserRecord? FindByTokenHash(string tokenHash);

    IReadOnlyList<UserRecord> List();

    /// <summary>Adds a user; false when the name is taken (names of revoked users are not reused, so logged actors stay unambiguous).</summary>
    bool TryAdd(UserRecord user);

    /// <summary>Marks a user revoked; false when unknown or already revoked.</summary>
    bool TryRevoke(UserName name, DateTimeOffset at);
}
