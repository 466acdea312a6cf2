using System.Globalization;
using System.Text.Json;

namespace SupplyChain.IntegrationTests.Load;

/// <summary>
/// The agent benchmark (<c>coldtrace-bench agent</c>, docs/BENCHMARKS.md "The agent") run briefly: the real agent
/// process connected to a real hub takes 20 scans at 20/s and 20 flat out, 400 events are seeded and measured on disk
/// and drained to the acking endpoint, 200 more to a real hub. Checks the measurement, not the speed.
/// </summary>
public sealed class AgentBenchSmokeTests
{
    private const int Scans = 20;
    private const int Seeded = 400;
    private const int HubDrained = 200;

    [Fact]
    public async Task AgentBench_SmallRun_EveryScanGreenEveryEventDrainedFiguresConsistent()
    {
        var directory = Directory.CreateTempSubdirectory("coldtrace-agent-bench-smoke-").FullName;
        var json = Path.Combine(directory, "result.json");
        var bench = ChildProcess.ProjectDll("tests/Benchmarks", "coldtrace-bench");
        string I(int value) => value.ToString(CultureInfo.InvariantCulture);
        using var process = ChildProcess.StartDotnet(
            bench, "agent", "--scans", I(Scans), "--rate", "20", "--flat-scans", I(Scans), "--settle", "2", "--sensors", "1",
            "--disk", I(Seeded), "--drain", I(Seeded), "--drain-hub", I(HubDrained), "--limits-seconds", "0.5", "--drain-timeout", "240",
            "--json", json);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = result.RootElement;
        Directory.Delete(directory, recursive: true);

        // Every scan answered by a green naming a new event, seqs one after the other, each with a latency.
        var live = root.GetProperty("Live");
        foreach (var part in (string[])["Steady", "Flat"])
        {
            var scans = live.GetProperty(part);
            Assert.Equal(Scans, scans.GetProperty("Scans").GetInt32());
            Assert.Equal(Scans, scans.GetProperty("Greens").GetInt32());
            Assert.Equal(0, scans.GetProperty("SeqGaps").GetInt32());
            var latency = scans.GetProperty("ScanToDurable");
            Assert.Equal(Scans, latency.GetProperty("Count").GetInt32());
            AssertOrdered(latency);
        }

        // The steady part kept its schedule: 20 scans at 20/s take about a second, not the flat-out pace.
        Assert.InRange(live.GetProperty("Steady").GetProperty("ScansPerSecond").GetDouble(), 5, 25);
        Assert.True(live.GetProperty("IdleRssBytes").GetInt64() > 10 << 20);
        Assert.True(live.GetProperty("PeakRssBytes").GetInt64() >= live.GetProperty("IdleRssBytes").GetInt64());

        // The seeded store holds every event, at least its 64-byte signature each (the payload is stored compressed), and
        // less than the encoded envelopes would take.
        var limits = root.GetProperty("Limits");
        var envelope = limits.GetProperty("DocumentBytes").GetInt32();
        var disk = root.GetProperty("Disk")[0];
        Assert.Equal(Seeded, disk.GetProperty("Events").GetInt64());
        Assert.InRange(disk.GetProperty("Bytes").GetInt64(), (long)Seeded * 64, (long)Seeded * envelope);

        // LiteDB's own bytes per document: three envelope sizes, each bare and under the outbox's indexes, which cost bytes.
        var shares = root.GetProperty("DiskShares").EnumerateArray().Select(e => (Envelope: e.GetProperty("EnvelopeBytes").GetInt32(), Bytes: e.GetProperty("BytesPerDocument").GetDouble())).ToList();
        Assert.Equal(6, shares.Count);
        Assert.All(shares, share => Assert.True(share.Bytes > share.Envelope, $"{share}"));
        Assert.All(shares.Chunk(2), pair => Assert.True(pair[1].Bytes > pair[0].Bytes, $"indexes cost nothing: {pair[0]} {pair[1]}"));

        // Both drains removed every event (the command fails otherwise); the acking endpoint saw each one.
        foreach (var (name, count) in new[] { ("Drain", Seeded), ("DrainHub", HubDrained) })
        {
            var drain = root.GetProperty(name);
            Assert.Equal(count, drain.GetProperty("Events").GetInt64());
            Assert.True(drain.GetProperty("EventsPerSecond").GetDouble() > 0);
            Assert.True(drain.GetProperty("Seconds").GetDouble() > 0);
        }

        Assert.True(root.GetProperty("Drain").GetProperty("EndpointEventsPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("DrainHub").GetProperty("HubCores").GetDouble() > 0);
        foreach (var limit in (string[])["FsyncsPerSecond", "LiteDbDurableInsertsPerSecond", "LiteDbBatchedInsertsPerSecond", "Ed25519SignsPerSecond"])
        {
            Assert.True(limits.GetProperty(limit).GetDouble() > 0, limit);
        }
    }

    private static void AssertOrdered(JsonElement p)
    {
        var (p50, p95, p99, max) = (p.GetProperty("P50").GetDouble(), p.GetProperty("P95").GetDouble(), p.GetProperty("P99").GetDouble(), p.GetProperty("Max").GetDouble());
        Assert.True(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= max, $"percentiles out of order: {p}");
    }
}
