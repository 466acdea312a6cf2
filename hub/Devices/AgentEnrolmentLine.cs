namespace SupplyChain.Hub.Devices;

/// <summary>
/// The enrolment line an agent's <c>keygen</c> and <c>identity</c> print (<c>hub devices enroll --id … --key … --site …
/// --role …</c>), pasted into the devices page: the same options the <c>devices enroll</c> command takes. Words before
/// <c>enroll</c> (the program and command names) are skipped; <c>--data</c>, <c>--origin</c> and <c>--actor</c> are
/// ignored, because the running hub has its own and the actor is the signed-in admin. Values are checked by
/// <see cref="DeviceEnrolment"/>, not here.
/// </summary>
internal sealed record AgentEnrolmentLine(string Id, string Key, string Site, string Role, string? Password)
{
    /// <summary>Longest line accepted: a key and a password fit many times over.</summary>
    public const int MaxLength = 2000;

    private static readonly string[] Ignored = ["--data", "--origin", "--actor"];
    private static readonly string[] Required = ["--id", "--key", "--site", "--role"];

    public static bool TryParse(string? text, out AgentEnrolmentLine? line, out string reason)
    {
        line = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = "paste the enrolment line the agent printed (hub devices enroll --id … --key … --site … --role …)";
            return false;
        }

        if (text.Length > MaxLength)
        {
            reason = $"the line is longer than {MaxLength} characters";
            return false;
        }

        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var start = Array.IndexOf(words, "enroll") + 1;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = start; i < words.Length; i++)
        {
            var word = words[i];
            if (!word.StartsWith("--", StringComparison.Ordinal))
            {
                reason = $"unexpected '{word}': every value follows its option (--id, --key, --site, --role, --password)";
                return false;
            }

            string name, value;
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                (name, value) = (word[..equals], word[(equals + 1)..]);
            }
            else if (i + 1 < words.Length && !words[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                (name, value) = (word, words[++i]);
            }
            else
            {
                reason = $"{word} needs a value";
                return false;
            }

            if (Ignored.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            if (name is not ("--id" or "--key" or "--site" or "--role" or "--password"))
            {
                reason = $"unknown option {name}";
                return false;
            }

            if (!values.TryAdd(name, value))
            {
                reason = $"{name} is given twice";
                return false;
            }
        }

        var missing = Required.Where(name => !values.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            reason = $"missing {string.Join(", ", missing)}";
            return false;
        }

        line = new AgentEnrolmentLine(values["--id"], values["--key"], values["--site"], values["--role"], values.GetValueOrDefault("--password"));
        reason = string.Empty;
        return true;
    }
}
