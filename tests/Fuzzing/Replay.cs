namespace SupplyChain.Fuzzing;

/// <summary>Runs saved inputs through a target in this process, without an engine: for triage and regression tests.</summary>
internal static class Replay
{
    /// <summary>The input files under <paramref name="path"/> (a file, or every file below a folder), in name order.</summary>
    public static IEnumerable<string> Files(string path) =>
        File.Exists(path)
            ? [path]
            : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.') && !Path.GetFileName(f).Equals("README.txt", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);

    /// <summary>What escaped the target for this input, or <see langword="null"/> when it ran clean.</summary>
    public static Exception? Run(FuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
            return null;
        }
#pragma warning disable CA1031 // Any exception escaping a target is the finding; it is reported, not handled.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return exception;
        }
    }
}
