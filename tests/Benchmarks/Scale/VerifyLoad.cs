using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SupplyChain.Benchmarks.Load;

namespace SupplyChain.Benchmarks.Scale;

/// <summary>What <c>verify</c> measured.</summary>
internal sealed record VerifyResult(
    long Entries,
    long Packs,
    int Connections,
    double Seconds,
    long Requests,
    long Failures,
    double RequestsPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double ProofsPerAnswer,
    long Checked,
    double? HubCores,
    double ClientCores,
    long? HubPeakRss,
    double CheckpointRequestsPerSecond,
    double Sha256PerSecondOneCore,
    double Ed25519PerSecondAllCores,
    double StartupSeconds,
    double ReplaySeconds,
    string LoadBefore,
    string LoadAfter);

/// <summary>
/// <c>coldtrace-bench verify</c>: starts a real hub on a seeded data directory and drives <c>POST /v1/verify</c> with raw
/// DataMatrix scans of random seeded packs from many concurrent connections (closed loop: each connection sends its next
/// request when the answer arrives). Every answer must be 200; every 50th is read fully and must be verified, name
/// the pack, and carry a proof bundle for each log entry it relied on. Before the hub starts, the machine's limits are
/// measured (SHA-256 on one core, Ed25519 on all); with the hub up, the same client's rate on the hub's cheapest
/// read (<c>GET /v1/log/checkpoint</c>) is the HTTP floor of this machine, client included.
/// </summary>
internal static class VerifyLoad
{
    /// <summary>Every this many answers one is read in full and checked.</summary>
    public const int CheckEvery = 50;

    public static async Task<VerifyResult> RunAsync(
        string hubDll, string directory, int connections, TimeSpan warmup, TimeSpan duration, TimeSpan limitTime, IReadOnlyList<string> hubSettings, TextWriter progress, CancellationToken cancellationToken)
    {
        var manifest = SeedManifest.Read(directory);
        var loadBefore = ProcessMeter.LoadAverage();
        progress.WriteLine("measuring the machine's limits");
        var sha = MachineLimits.Sha256LeafHashesPerSecond(200, limitTime);
        var ed = MachineLimits.Ed25519VerificationsPerSecond(Environment.ProcessorCount, limitTime);

        progress.WriteLine($"starting the hub on {manifest.Entries:N0} entries");
        // The per-client verification limit (Web:VerifyPerMinute, 120 by default) would refuse a load test from one address.
        await using var hub = await ScaleHub.StartAsync(hubDll, directory, ["Web:VerifyPerMinute=1000000", .. hubSettings], TimeSpan.FromMinutes(60), cancellationToken);
        progress.WriteLine($"hub up in {hub.Startup.TotalSeconds:N1} s (custody replay {hub.Replay.TotalSeconds:N1} s)");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = hub.Api, Timeout = TimeSpan.FromSeconds(60) };

        progress.WriteLine("HTTP floor: GET /v1/log/checkpoint");
        var floorWindow = TimeSpan.FromSeconds(Math.Min(5, duration.TotalSeconds));
        var floor = await RunLoopsAsync(connections, TimeSpan.FromSeconds(Math.Min(2, warmup.TotalSeconds)), floorWindow, (_, _, token) => Checkpoint(http, token), cancellationToken);

        progress.WriteLine($"verifying with {connections} connections: {warmup.TotalSeconds:N0} s warm-up + {duration.TotalSeconds:N0} s");
        long proofs = 0, checkedAnswers = 0;
        var cpuStart = (TimeSpan?)null;
        var generator = Process.GetCurrentProcess();
        var clientCpuStart = TimeSpan.Zero;
        var run = await RunLoopsAsync(connections, warmup, duration, async (random, counter, token) =>
        {
            var pack = random.NextInt64(manifest.Packs);
            using var response = await http.PostAsJsonAsync(new Uri("/v1/verify", UriKind.Relative), new { scan = SeedPopulation.Scan(pack) }, token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            if (counter % CheckEvery != 0)
            {
                await response.Content.CopyToAsync(Stream.Null, token);
                return true;
            }

            var count = Check(await response.Content.ReadFromJsonAsync<JsonElement>(token), pack);
            Interlocked.Add(ref proofs, count);
            Interlocked.Increment(ref checkedAnswers);
            return true;
        }, cancellationToken, onWindowStart: () =>
        {
            cpuStart = ProcessMeter.CpuTime(hub.Pid);
            generator.Refresh();
            clientCpuStart = generator.TotalProcessorTime;
        });
        var cpuEnd = ProcessMeter.CpuTime(hub.Pid);
        generator.Refresh();
        var clientCpu = generator.TotalProcessorTime - clientCpuStart;
        if (hub.HasExited)
        {
            throw new InvalidOperationException($"The hub exited during the run:\n{hub.Output()}");
        }

        var seconds = duration.TotalSeconds;
        return new VerifyResult(
            manifest.Entries,
            manifest.Packs,
            connections,
            seconds,
            run.Latencies.Length,
            run.Failures,
            run.Latencies.Length / seconds,
            Percentile(run.Latencies, 0.50),
            Percentile(run.Latencies, 0.90),
            Percentile(run.Latencies, 0.99),
            run.Latencies.Length > 0 ? run.Latencies[^1] : 0,
            checkedAnswers > 0 ? (double)proofs / checkedAnswers : 0,
            checkedAnswers,
            cpuStart is { } a && cpuEnd is { } b ? (b - a).TotalSeconds / seconds : null,
            clientCpu.TotalSeconds / seconds,
            ProcessMeter.PeakRss(hub.Pid),
            floor.Latencies.Length / floorWindow.TotalSeconds,
            sha,
            ed,
            hub.Startup.TotalSeconds,
            hub.Replay.TotalSeconds,
            loadBefore,
            ProcessMeter.LoadAverage());
    }

    /// <summary>Checks one full answer: the pack it names, verified, and a proof bundle per entry relied on; returns the proofs.</summary>
    private static int Check(JsonElement answer, long pack)
    {
        var serial = answer.GetProperty("serial").GetString();
        if (serial != SeedPopulation.Serial(pack))
        {
            throw new InvalidOperationException($"Asked for {SeedPopulation.Serial(pack)}, the answer is about {serial}.");
        }

        if (!answer.GetProperty("verified").GetBoolean())
        {
            throw new InvalidOperationException($"{serial} was not verified: {answer}");
        }

        var proofs = answer.GetProperty("proofs");
        if (proofs.GetArrayLength() == 0)
        {
            throw new InvalidOperationException($"{serial}: the answer carries no proofs.");
        }

        foreach (var proof in proofs.EnumerateArray())
        {
            if (proof.GetProperty("bundle").ValueKind != JsonValueKind.String)
            {
                throw new InvalidOperationException($"{serial}: a proof without a bundle: {proof}");
            }
        }

        return proofs.GetArrayLength();
    }

    private static async Task<bool> Checkpoint(HttpClient http, CancellationToken token)
    {
        using var response = await http.GetAsync(new Uri("/v1/log/checkpoint", UriKind.Relative), token);
        await response.Content.CopyToAsync(Stream.Null, token);
        return response.IsSuccessStatusCode;
    }

    private sealed record LoopRun(double[] Latencies, long Failures);

    /// <summary>
    /// Runs <paramref name="connections"/> closed loops of <paramref name="request"/> through a warm-up and a measured
    /// window; latencies (ms, sorted) of requests that started and ended in the window, and the failures in it.
    /// </summary>
    private static async Task<LoopRun> RunLoopsAsync(
        int connections, TimeSpan warmup, TimeSpan duration, Func<Random, long, CancellationToken, Task<bool>> request, CancellationToken cancellationToken, Action? onWindowStart = null)
    {
        var start = Stopwatch.GetTimestamp();
        var windowStart = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = windowStart + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long failures = 0;
        var perLoop = new List<double>[connections];
        var loops = Enumerable.Range(0, connections).Select(n => Task.Run(async () =>
        {
            var random = new Random(n);
            var latencies = perLoop[n] = new List<double>(1 << 14);
            long counter = n;
            while (true)
            {
                var sent = Stopwatch.GetTimestamp();
                if (sent >= end)
                {
                    return;
                }

                var ok = await request(random, counter++, cancellationToken);
                var done = Stopwatch.GetTimestamp();
                if (sent >= windowStart && done <= end)
                {
                    if (ok)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(sent, done).TotalMilliseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        }, cancellationToken)).ToList();

        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), windowStart);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        onWindowStart?.Invoke();
        await Task.WhenAll(loops);
        var all = perLoop.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoopRun(all, failures);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
