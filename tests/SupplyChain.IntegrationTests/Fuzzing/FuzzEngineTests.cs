namespace SupplyChain.IntegrationTests.Fuzzing;

/// <summary>
/// Issue #7 item 8: every fuzz target runs under the real engine (AFL++ driving the SharpFuzz-instrumented contracts
/// library through tests/fuzz.sh) for a few seconds. No input may crash or hang a parser, every target must execute
/// inputs and report coverage, and the engine must find new paths. The long runs are in docs/RELIABILITY.md, "Fuzzing".
/// </summary>
public sealed class FuzzEngineTests
{
    private static readonly int SecondsPerTarget = ReliabilityRun.Pick(3, 60);

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Afl_EveryTarget_NoCrashNoHangAndFindsPaths()
    {
        Assert.True(
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, "afl-fuzz"))),
            "afl-fuzz is missing: apt-get install -y afl++ (tests/run.sh installs it).");

        // Generous for a loaded 2-core machine: each target starts .NET and calibrates its seeds before the fuzzing time.
        var (exitCode, output, figures) = await FuzzRun.AllAsync(SecondsPerTarget, TimeSpan.FromMinutes(8 + (SecondsPerTarget * 8 / 60.0)));

        Assert.True(exitCode == 0, $"tests/fuzz.sh failed ({exitCode}):\n{output}");
        Assert.Equal(["gs1", "envelope", "event", "checkpoint", "proof", "merkle", "ack", "batch"], figures.Select(f => f.Target));
        foreach (var figure in figures)
        {
            ReliabilityRun.Record($"fuzzing {figure.Target}, {SecondsPerTarget} s under AFL++", figure.ToString());
            Assert.True(figure.Crashes == 0 && figure.Hangs == 0, $"{figure}\n{output}");
            Assert.True(figure.Execs >= 100, $"{figure.Target} ran too few inputs for a fuzz run: {figure}");
            Assert.True(figure.Edges > 0, $"{figure.Target}: the engine saw no coverage, so the instrumentation is not working: {figure}");
        }

        Assert.True(figures.Sum(f => f.Found) > 0, "The engine found no new path in any target:\n" + string.Join('\n', figures));
    }
}
