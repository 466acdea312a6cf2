namespace SupplyChain.Benchmarks.Load;

/// <summary>
/// Keeps one run's table in docs/BENCHMARKS.md between <c>&lt;!-- load:LABEL --&gt;</c> and <c>&lt;!-- /load:LABEL --&gt;</c>:
/// replaced when the label is there, appended at the end otherwise.
/// </summary>
internal static class BenchmarksDoc
{
    public static void Write(string path, string label, string markdown)
    {
        var begin = $"<!-- load:{label} -->";
        var end = $"<!-- /load:{label} -->";
        var section = $"{begin}\n{markdown.TrimEnd()}\n{end}";
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf(end, from, StringComparison.Ordinal);
        text = to >= 0
            ? string.Concat(text.AsSpan(0, from), section, text.AsSpan(to + end.Length))
            : text.TrimEnd() + "\n\n" + section + "\n";
        File.WriteAllText(path, text);
    }

    /// <summary>docs/BENCHMARKS.md of the repository the working directory is in.</summary>
    public static string? Find()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "BENCHMARKS.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
