using System.Text.Json;

namespace SupplyChain.IntegrationTests.Load;

/// <summary>
/// The growth commands (<c>coldtrace-bench seed</c>, <c>verify</c>, <c>recall</c>; docs/BENCHMARKS.md "Verification,
/// recalls and growth") on a tiny seeded directory: checks the measurement, not the speed. The seed must give a hub that
/// starts on it and replays every entry; every verification answer must be 200 with one proof per custody step of the
/// pack; the recall queries must find the packs the seed put in the lot.
/// </summary>
public sealed class ScaleCommandsSmokeTests
{
    // The seed's population (tests/Benchmarks/Scale/SeedPopulation.cs): 56 sites, a station and a fridge sensor each;
    // cases of 50 packs go manufacturer → wholesaler → pharmacy in five custody events; lots of 1,000 packs.
    private const int Devices = 112;
    private const int CustodyStepsPerPack = 5;
    private const long Packs = 500;

    [Fact]
    public async Task SeedVerifyRecall_TinyDirectory_HubStartsOnItAndFiguresConsistent()
    {
        var work = Directory.CreateTempSubdirectory("coldtrace-scale-smoke-").FullName;
        var data = Path.Combine(work, "hub");
        try
        {
            var seed = await RunAsync(work, "seed", data, "--entries", "3000", "--packs", Packs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch", "1000", "--startup");
            var events = seed.GetProperty("DeviceEvents").GetInt64();
            var entries = seed.GetProperty("Entries").GetInt64();
            Assert.Equal(Packs, seed.GetProperty("Packs").GetInt64());
            Assert.Equal(events + Devices, entries);
            Assert.InRange(entries, 2900, 3000);
            var reports = events - (Packs / 50 * CustodyStepsPerPack);
            Assert.Equal(reports * 10, seed.GetProperty("Readings").GetInt64());
            Assert.Equal(entries, seed.GetProperty("ReplayedEntries").GetInt64());
            Assert.True(seed.GetProperty("ReplaySeconds").GetDouble() > 0);
            Assert.True(seed.GetProperty("StartupSeconds").GetDouble() >= seed.GetProperty("ReplaySeconds").GetDouble());
            Assert.True(seed.GetProperty("LeafBytes").GetInt64() > events * 500);
            Assert.True(seed.GetProperty("LogBytes").GetInt64() >= seed.GetProperty("LeafBytes").GetInt64());

            var verify = await RunAsync(work, "verify", data, "--connections", "4", "--warmup", "1", "--duration", "3", "--limits-seconds", "1");
            var requests = verify.GetProperty("Requests").GetInt64();
            Assert.True(requests > 0);
            Assert.Equal(0, verify.GetProperty("Failures").GetInt64());
            Assert.Equal(requests / verify.GetProperty("Seconds").GetDouble(), verify.GetProperty("RequestsPerSecond").GetDouble(), 6);
            var p50 = verify.GetProperty("P50Ms").GetDouble();
            var p90 = verify.GetProperty("P90Ms").GetDouble();
            var p99 = verify.GetProperty("P99Ms").GetDouble();
            Assert.True(p50 > 0 && p50 <= p90 && p90 <= p99 && p99 <= verify.GetProperty("MaxMs").GetDouble(), $"{p50} {p90} {p99}");
            Assert.True(verify.GetProperty("Checked").GetInt64() > 0);
            Assert.Equal(CustodyStepsPerPack, verify.GetProperty("ProofsPerAnswer").GetDouble());
            Assert.True(verify.GetProperty("HubCores").GetDouble() > 0);
            Assert.True(verify.GetProperty("CheckpointRequestsPerSecond").GetDouble() > 0);
            Assert.True(verify.GetProperty("Sha256PerSecondOneCore").GetDouble() > 0);
            Assert.True(verify.GetProperty("Ed25519PerSecondAllCores").GetDouble() > 0);

            var recall = await RunAsync(work, "recall", data, "--runs", "3");
            Assert.Equal(Packs, recall.GetProperty("PacksKnown").GetInt64());
            Assert.Equal(seed.GetProperty("Readings").GetInt64(), recall.GetProperty("Readings").GetInt64());
            var figures = recall.GetProperty("Figures").EnumerateArray().ToList();
            Assert.Equal(5, figures.Count);

            // The lot of the middle pack holds packs 0 … 499 here (lots of 1,000), in 10 cases sent to 10 pharmacies.
            Assert.Equal(Packs, figures[0].GetProperty("Packs").GetInt32());
            Assert.Equal(Packs, figures[1].GetProperty("Packs").GetInt32());
            Assert.Equal(10, figures[1].GetProperty("Sites").GetInt32());
            Assert.Equal(figures[2].GetProperty("Packs").GetInt32(), figures[3].GetProperty("Packs").GetInt32());
            Assert.True(figures[4].GetProperty("Packs").GetInt32() > 0);
            foreach (var figure in figures)
            {
                Assert.True(figure.GetProperty("P50Ms").GetDouble() <= figure.GetProperty("MaxMs").GetDouble());
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<JsonElement> RunAsync(string work, params string[] args)
    {
        var json = Path.Combine(work, args[0] + ".json");
        var bench = ChildProcess.ProjectDll("tests/Benchmarks", "coldtrace-bench");
        using var process = ChildProcess.StartDotnet(bench, [.. args, "--json", json]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }

        Assert.True(process.ExitCode == 0, $"{args[0]}: exit {process.ExitCode}\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        return document.RootElement.Clone();
    }
}
