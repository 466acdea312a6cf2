using SupplyChain.Fuzzing;

namespace SupplyChain.IntegrationTests.Fuzzing;

/// <summary>
/// Every committed seed (<c>tests/Fuzzing/corpus/{target}</c>) and every input a fuzzer once crashed on
/// (<c>tests/Fuzzing/regressions/{target}</c>) runs through its target in this process, without the engine, so a fixed
/// crash stays fixed on every test run.
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Replay_CorpusAndRegressionInputs_NoneCrashes(string name)
    {
        var target = FuzzTargets.Create(name);
        var corpus = Path.Combine(FuzzRun.Root, "tests", "Fuzzing", "corpus", name);
        var regressions = Path.Combine(FuzzRun.Root, "tests", "Fuzzing", "regressions", name);
        var files = Replay.Files(corpus).Concat(Directory.Exists(regressions) ? Replay.Files(regressions) : []).ToList();

        Assert.NotEmpty(Replay.Files(corpus));
        var crashes = files
            .Select(file => (File: Path.GetRelativePath(FuzzRun.Root, file), Exception: Replay.Run(target, File.ReadAllBytes(file))))
            .Where(run => run.Exception is not null)
            .Select(run => $"{run.File}: {run.Exception}")
            .ToList();
        Assert.True(crashes.Count == 0, string.Join("\n\n", crashes));
    }

    [Fact]
    public void Regressions_EveryFolder_NamesATarget()
    {
        var regressions = Path.Combine(FuzzRun.Root, "tests", "Fuzzing", "regressions");

        Assert.All(Directory.GetDirectories(regressions), folder => Assert.Contains(Path.GetFileName(folder), FuzzTargets.Names));
    }
}
