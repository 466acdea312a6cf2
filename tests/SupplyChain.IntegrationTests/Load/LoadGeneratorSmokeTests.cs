using System.Globalization;
using System.Text.Json;

namespace SupplyChain.IntegrationTests.Load;

/// <summary>
/// The load generator (<c>coldtrace-bench load</c>, docs/BENCHMARKS.md "Whole system") run briefly against a real hub
/// process: checks the measurement, not the speed. Four devices at 5 events/s each for 5 s after a 1 s warm-up.
/// </summary>
public sealed class LoadGeneratorSmokeTests
{
    private const double Rate = 20;
    private const double Seconds = 5;

    [Fact]
    public async Task Load_FourDevicesAtLowRate_EveryEventAckedOnceAndFiguresConsistent()
    {
        var root = await RunAsync(
            "--devices", "4", "--rate", Rate.ToString(CultureInfo.InvariantCulture), "--duration", Seconds.ToString(CultureInfo.InvariantCulture),
            "--warmup", "1", "--limits-seconds", "1");

        // Exactly once, in order, all under a verified checkpoint.
        var sent = root.GetProperty("Sent").GetInt64();
        Assert.True(sent >= (long)(Rate * Seconds), $"sent {sent}");
        Assert.Equal(sent, root.GetProperty("Acknowledged").GetInt64());
        foreach (var zero in (string[])["Rejected", "Lost", "Unexpected", "DuplicateFlags", "OrderViolations", "NotCheckpointed", "InvalidCheckpoints"])
        {
            Assert.True(root.GetProperty(zero).GetInt64() == 0, $"{zero} = {root.GetProperty(zero)}");
        }

        // The scheduler offered what was asked: 100 events scanned in the 5 s window, give or take the window's edges.
        var offered = root.GetProperty("OfferedPerSecond").GetDouble();
        Assert.InRange(offered, Rate * 0.9, Rate * 1.1);
        Assert.InRange(root.GetProperty("AcceptedPerSecond").GetDouble(), Rate * 0.5, Rate * 1.5);

        var ack = Percentiles(root.GetProperty("ScanToAck"));
        var checkpoint = Percentiles(root.GetProperty("ScanToCheckpoint"));
        Assert.Equal((int)Math.Round(offered * Seconds), ack.Count);
        Assert.Equal(ack.Count, checkpoint.Count);
        Assert.True(checkpoint.P50 >= ack.P50, $"checkpoint p50 {checkpoint.P50} < ack p50 {ack.P50}");

        var resources = root.GetProperty("Resources");
        Assert.True(resources.GetProperty("HubCores").GetDouble() > 0);
        Assert.True(resources.GetProperty("HubPeakRssBytes").GetInt64() > 10 << 20);
        var limits = root.GetProperty("Limits");
        Assert.True(limits.GetProperty("Ed25519Before").GetDouble() > 0 && limits.GetProperty("Ed25519After").GetDouble() > 0);
        Assert.Equal(
            Math.Max(limits.GetProperty("Ed25519Before").GetDouble(), limits.GetProperty("Ed25519After").GetDouble()),
            limits.GetProperty("Ed25519AllCores").GetDouble());
        Assert.True(limits.GetProperty("LiteDbInserts").GetDouble() > 0);
        Assert.Equal(root.GetProperty("EnvelopeBytes").GetInt32() + 1, limits.GetProperty("LeafBytes").GetInt32());
    }

    [Fact]
    public async Task Load_FlatOutWithJoinedMessages_EveryEventAckedOnceInOrder()
    {
        // Flat out, events joined as the agent's delivery joins them (--envelopes): still each event acked once, in order,
        // under a checkpoint, and the messages really carried several events each.
        var root = await RunAsync("--devices", "3", "--rate", "max", "--window", "16", "--envelopes", "8", "--presign", "6000",
            "--duration", "3", "--warmup", "1", "--limits-seconds", "1");
        var sent = root.GetProperty("Sent").GetInt64();
        Assert.True(sent > 0, $"sent {sent}");
        Assert.Equal(sent, root.GetProperty("Acknowledged").GetInt64());
        foreach (var zero in (string[])["Rejected", "Lost", "Unexpected", "DuplicateFlags", "OrderViolations", "NotCheckpointed", "InvalidCheckpoints"])
        {
            Assert.True(root.GetProperty(zero).GetInt64() == 0, $"{zero} = {root.GetProperty(zero)}");
        }

        var messages = root.GetProperty("Messages").GetInt64();
        Assert.True(messages > 0 && messages * 2 <= sent, $"{sent} events in {messages} messages");
    }

    private static async Task<JsonElement> RunAsync(params string[] arguments)
    {
        var json = Path.Combine(Directory.CreateTempSubdirectory("coldtrace-load-smoke-").FullName, "result.json");
        var bench = ChildProcess.ProjectDll("tests/Benchmarks", "coldtrace-bench");
        using var process = ChildProcess.StartDotnet(bench, ["load", .. arguments, "--json", json]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Directory.Delete(Path.GetDirectoryName(json)!, recursive: true);
        return result.RootElement.Clone();
    }

    private static (int Count, double P50, double P95, double P99, double Max) Percentiles(JsonElement element)
    {
        var p = (element.GetProperty("Count").GetInt32(), element.GetProperty("P50").GetDouble(), element.GetProperty("P95").GetDouble(),
            element.GetProperty("P99").GetDouble(), element.GetProperty("Max").GetDouble());
        Assert.True(p.Item2 > 0 && p.Item2 <= p.Item3 && p.Item3 <= p.Item4 && p.Item4 <= p.Item5, $"percentiles out of order: {element}");
        return p;
    }
}
