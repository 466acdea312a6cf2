using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SupplyChain.IntegrationTests.Fuzzing;

/// <summary>Runs <c>tests/fuzz.sh</c> on this test's own build of tests/Fuzzing and reads its per-target figures.</summary>
internal static partial class FuzzRun
{
    /// <summary>The repository root (…/tests/SupplyChain.IntegrationTests/bin/&lt;Configuration&gt;/net10.0/ is five levels down).</summary>
    public static string Root { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;

    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>Fuzzes every target for <paramref name="seconds"/> each; the script's exit code, its output and one figure set per target.</summary>
    public static async Task<(int ExitCode, string Output, IReadOnlyList<FuzzFigures> Figures)> AllAsync(int seconds, TimeSpan limit)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        info.ArgumentList.Add(Path.Combine(Root, "tests", "fuzz.sh"));
        info.ArgumentList.Add("all");
        info.ArgumentList.Add(seconds.ToString(CultureInfo.InvariantCulture));

        // The test run has already built tests/Fuzzing (a project reference) in this configuration.
        info.Environment["COLDTRACE_FUZZ_NO_BUILD"] = "1";
        info.Environment["COLDTRACE_FUZZ_CONFIGURATION"] = Configuration;

        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (var timeout = new CancellationTokenSource(limit))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"tests/fuzz.sh did not finish within {limit}. Output:\n{output}");
            }
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        var figures = FigureLine().Matches(text).Select(FuzzFigures.From).ToList();
        return (process.ExitCode, text, figures);
    }

    [GeneratedRegex(@"^fuzz (?<target>\w+): (?<execs>\d+) execs in (?<seconds>\d+) s \((?<rate>[\d.]+)/s\), corpus (?<corpus>\d+) \((?<found>\d+) found by the engine\), edges (?<edges>\d+) \(bitmap (?<bitmap>[\d.]+%)\), crashes (?<crashes>\d+), hangs (?<hangs>\d+)$", RegexOptions.Multiline)]
    private static partial Regex FigureLine();
}

/// <summary>One target's line of <c>tests/fuzz.sh</c> figures, read from AFL++'s fuzzer_stats.</summary>
internal sealed record FuzzFigures(string Target, long Execs, double ExecsPerSecond, int Corpus, int Found, int Edges, string Bitmap, int Crashes, int Hangs)
{
    public static FuzzFigures From(Match line)
    {
        long Number(string group) => long.Parse(line.Groups[group].Value, CultureInfo.InvariantCulture);
        return new(
            line.Groups["target"].Value,
            Number("execs"),
            double.Parse(line.Groups["rate"].Value, CultureInfo.InvariantCulture),
            (int)Number("corpus"),
            (int)Number("found"),
            (int)Number("edges"),
            line.Groups["bitmap"].Value,
            (int)Number("crashes"),
            (int)Number("hangs"));
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Target}: {Execs} execs ({ExecsPerSecond:0}/s), {Found} paths found, {Edges} edges ({Bitmap}), {Crashes} crashes, {Hangs} hangs");
}
