namespace SupplyChain.Hub.Users;

/// <summary>What a person may do through the API (docs/API.md "Users and roles"); written lowercase on the wire and the CLI.</summary>
internal enum UserRole
{
    /// <summary>Verifies packs at a counter and dispenses.</summary>
    Pharmacist = 1,

    /// <summary>Opens and closes recalls, releases packs from quarantine.</summary>
    Quality = 2,

    /// <summary>Ships and receives; reads recalls to pull affected packs.</summary>
    Warehouse = 3,

    /// <summary>Reads everything, changes nothing.</summary>
    Auditor = 4,

    /// <summary>Enrols and revokes devices.</summary>
    Admin = 5,
}

internal static class UserRoles
{
    public static string Name(UserRole role) => role.ToString().ToLowerInvariant();

    public static string All => string.Join(", ", Enum.GetValues<UserRole>().Select(Name));

    public static bool TryParse(string? text, out UserRole role)
    {
        foreach (var candidate in Enum.GetValues<UserRole>())
        {
            if (string.Equals(text, Name(candidate), StringComparison.Ordinal))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
