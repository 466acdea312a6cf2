using System.Globalization;

namespace SupplyChain.IntegrationTests;

/// <summary>
/// The size of a fault-injection run (issue #7): the short form that <c>tests/run.sh</c> runs on every change, or the
/// full form that <c>tests/reliability-full.sh</c> runs (<c>COLDTRACE_RELIABILITY=full</c>), whose figures
/// <c>docs/RELIABILITY.md</c> quotes. Tests pick their counts and durations here and record their figures with
/// <see cref="Record"/>, so one file holds what the last run measured.
/// </summary>
internal static class ReliabilityRun
{
    private static readonly Lock Gate = new();

    /// <summary>True in the full run.</summary>
    public static bool Full => Environment.GetEnvironmentVariable("COLDTRACE_RELIABILITY") == "full";

    /// <summary>"short" or "full", for figure lines.</summary>
    public static string Form => Full ? "full" : "short";

    public static int Pick(int shortRun, int fullRun) => Full ? fullRun : shortRun;

    public static TimeSpan Pick(TimeSpan shortRun, TimeSpan fullRun) => Full ? fullRun : shortRun;

    /// <summary>
    /// Appends "scenario | figure" to <c>artifacts/reliability/figures-{short|full}.md</c> under the repository root
    /// (the test output has it too).
    /// </summary>
    public static void Record(string scenario, string figure)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory); // …/tests/SupplyChain.IntegrationTests/bin/<Configuration>/net10.0/
        var root = testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var directory = Path.Combine(root, "artifacts", "reliability");
        Directory.CreateDirectory(directory);
        var line = string.Create(CultureInfo.InvariantCulture, $"| {scenario} | {figure} |\n");
        lock (Gate)
        {
            File.AppendAllText(Path.Combine(directory, $"figures-{Form}.md"), line);
        }
    }
}
