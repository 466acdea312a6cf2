namespace SupplyChain.Hub.Users;

/// <summary>
/// A person's sign-in name, logged as the actor of every decision they make: 1–64 of <c>A-Z a-z 0-9 . _ @ -</c>, so it
/// needs no quoting on a command line, in a log line or in the log's JSON.
/// </summary>
internal readonly record struct UserName
{
    public const int MaxLength = 64;

    private UserName(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(ReadOnlySpan<char> text, out UserName name, out string reason)
    {
        name = default;
        if (text.IsEmpty || text.Length > MaxLength)
        {
            reason = $"a user name has 1 to {MaxLength} characters";
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '@' or '-'))
            {
                reason = $"'{c}' is not allowed in a user name (A-Z a-z 0-9 . _ @ -)";
                return false;
            }
        }

        name = new UserName(text.ToString());
        reason = string.Empty;
        return true;
    }

    public override string ToString() => Value;
}
