namespace SupplyChain.Hub.Broker;

/// <summary>What <see cref="MosquittoPasswordFile.Prune"/> did: the file's new text, who was removed, who is missing.</summary>
internal sealed record PasswordFilePrune(string Text, IReadOnlyList<string> Removed, IReadOnlyList<string> Missing);

/// <summary>
/// Keeps a Mosquitto <c>password_file</c> (lines <c>user:hash</c>, mosquitto_passwd(1)) in step with the device registry.
/// The hub stores only its own PBKDF2-SHA256 hashes, which Mosquitto cannot read, so passwords are added with
/// <c>mosquitto_passwd -b</c> at enrolment; what the hub can do is drop every user that is no longer an active device
/// (revoked, or never enrolled) and name the active devices that have no line yet.
/// </summary>
internal static class MosquittoPasswordFile
{
    /// <param name="text">The current file.</param>
    /// <param name="allowed">User names that may stay: the active devices and the hub's user.</param>
    /// <param name="required">User names that should be there: the active devices.</param>
    public static PasswordFilePrune Prune(string text, IReadOnlySet<string> allowed, IEnumerable<string> required)
    {
        var kept = new List<string>();
        var removed = new List<string>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            var user = colon < 0 ? trimmed : trimmed[..colon];
            if (allowed.Contains(user))
            {
                kept.Add(trimmed);
                present.Add(user);
            }
            else
            {
                removed.Add(user);
            }
        }

        var missing = required.Where(user => !present.Contains(user)).Order(StringComparer.Ordinal).ToList();
        var result = kept.Count == 0 ? string.Empty : string.Join('\n', kept) + "\n";
        return new PasswordFilePrune(result, removed, missing);
    }
}
