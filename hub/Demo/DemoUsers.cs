using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Demo;

/// <summary>A demo sign-in: the person's name, role and bearer token (shown on the console; demo credentials only).</summary>
internal sealed record DemoUser(UserRole Role, string Name, string Token);

/// <summary>
/// One user per role, made through <see cref="UserAccounts"/> like <c>users add</c>. Tokens are stored hashed, so a
/// resumed demo cannot show the old ones again: it revokes them and issues new ones under the next free name
/// (<c>demo-quality</c>, then <c>demo-quality-2</c>, …), because names of revoked users are never reused.
/// </summary>
internal static class DemoUsers
{
    public const string Prefix = "demo-";

    public static IReadOnlyList<DemoUser> Issue(UserAccounts accounts, IUserStore store)
    {
        var issued = new List<DemoUser>();
        foreach (var role in Enum.GetValues<UserRole>())
        {
            var stem = Prefix + UserRoles.Name(role);
            foreach (var old in store.List().Where(u => u.IsActive && u.Role == role && IsDemoName(u.Name.Value, stem)))
            {
                accounts.Revoke(old.Name.Value);
            }

            var name = stem;
            for (var n = 2; UserName.TryParse(name, out var taken, out _) && store.Find(taken) is not null; n++)
            {
                name = $"{stem}-{n}";
            }

            // The demo pharmacist works at pharmacy one, where the example printed as safe to dispense waits on the shelf.
            var site = role == UserRole.Pharmacist ? DemoSites.PharmacyOne.Gln : null;
            var added = accounts.Add(name, UserRoles.Name(role), site);
            if (!added.IsSuccess)
            {
                throw new InvalidOperationException($"demo user {name}: {added.Error}");
            }

            issued.Add(new DemoUser(role, name, added.Token!));
        }

        return issued;
    }

    public static DemoUser Of(this IReadOnlyList<DemoUser> users, UserRole role) => users.First(u => u.Role == role);

    private static bool IsDemoName(string name, string stem) =>
        name == stem || (name.StartsWith(stem + "-", StringComparison.Ordinal) && name[(stem.Length + 1)..].All(char.IsAsciiDigit));
}
