using System.Globalization;
using System.Text;
using System.Text.Json;
using SupplyChain.Benchmarks.Load;

namespace SupplyChain.Benchmarks.Scale;

/// <summary>
/// The read-side and growth commands (docs/BENCHMARKS.md "Verification, recalls and growth"):
/// <c>seed</c> builds a data directory, <c>verify</c> loads the verification API of a hub started on it, <c>recall</c>
/// times recall targeting on it. Each prints a Markdown table; <c>--json FILE</c> also writes the figures.
/// </summary>
internal static class ScaleCommands
{
    public const string Usage = """
        usage: coldtrace-bench seed <directory> [--entries 100000] [--packs 10000] [--batch 16384] [--startup] [--json FILE]
               coldtrace-bench verify <directory> [--connections 32] [--warmup 10] [--duration 30] [--limits-seconds 3] [--hub-setting K=V]... [--hub PATH] [--json FILE]
               coldtrace-bench recall <directory> [--runs 20] [--json FILE]
        """;

    public static async Task<int> SeedAsync(string[] args)
    {
        if (!TryParse(args, out var directory, out var options))
        {
            return 2;
        }

        var manifest = await Seeder.RunAsync(
            directory,
            Long(options, "--entries", 100_000),
            Long(options, "--packs", 10_000),
            (int)Long(options, "--batch", 16_384),
            Console.Error);
        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"`coldtrace-bench seed {string.Join(' ', args)}` — load average {manifest.LoadBefore} before / {manifest.LoadAfter} after")
            .AppendLine()
            .AppendLine("| measurement | figure |")
            .AppendLine("| --- | --- |")
            .AppendLine(CultureInfo.InvariantCulture, $"| log entries / packs / device events / readings | {manifest.Entries:N0} / {manifest.Packs:N0} / {manifest.DeviceEvents:N0} / {manifest.Readings:N0} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| sites / devices / simulated period | {manifest.Sites} / {manifest.Devices} / {manifest.Start:yyyy-MM-dd} to {manifest.End:yyyy-MM-dd} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| seeding in all (enrol, sign, sequence, integrate) | {manifest.TotalSeconds:N1} s = {manifest.Entries / manifest.TotalSeconds:N0} entries/s; seeder CPU {manifest.CpuSeconds:N1} s |")
            .AppendLine(CultureInfo.InvariantCulture, $"| signing (all cores, overlapped with sequencing) | {manifest.SignSeconds:N1} s |")
            .AppendLine(CultureInfo.InvariantCulture, $"| sequencing (LiteDbLogStore.Sequence, batches of {Long(options, "--batch", 16_384):N0}, fsync deferred to one flush at the end) | {manifest.SequenceSeconds:N1} s = {manifest.Entries / manifest.SequenceSeconds:N0} entries/s; first / last tenth {manifest.SequencedPerSecondFirstTenth:N0} / {manifest.SequencedPerSecondLastTenth:N0} entries/s |")
            .AppendLine(CultureInfo.InvariantCulture, $"| integration (LogIntegrator, one signed checkpoint per 2^20) | {manifest.IntegrateSeconds:N1} s = {manifest.Entries / manifest.IntegrateSeconds:N0} entries/s |")
            .AppendLine(CultureInfo.InvariantCulture, $"| log storage (log.db, its LiteDB log, log.leaves, log.leafindex) / whole directory | {manifest.LogBytes / (double)manifest.Entries:N0} / {manifest.DataDirectoryBytes / (double)manifest.Entries:N0} B per entry ({manifest.DataDirectoryBytes / 1048576.0:N0} MiB); device-event leaves average {manifest.LeafBytes / (double)manifest.DeviceEvents:N0} B |")
            .AppendLine(CultureInfo.InvariantCulture, $"| read a random entry and make its proof bundle (LogReader), p50 / p99 of 5,000 | {manifest.ProofP50Ms:N3} / {manifest.ProofP99Ms:N3} ms |");
        if (options.ContainsKey("--startup"))
        {
            var (startup, replay, replayed, cpu, rss) = await StartupAsync(Hub(options), directory);
            manifest = manifest with { StartupSeconds = startup, ReplaySeconds = replay, ReplayedEntries = replayed, StartupCpuSeconds = cpu, StartupPeakRss = rss };
            File.WriteAllText(Path.Combine(directory, SeedManifest.FileName), JsonSerializer.Serialize(manifest, SeedManifest.Json));
            table.AppendLine(CultureInfo.InvariantCulture, $"| hub start-up on it (process start to broker listening) / custody replay | {startup:N1} s / {replay:N1} s = {manifest.Entries / replay:N0} entries/s; hub CPU when up {cpu:N1} s; peak RSS {rss / 1048576.0:N0} MiB |");
        }

        Console.WriteLine(table);
        WriteJson(options, manifest);
        return 0;
    }

    public static async Task<int> VerifyAsync(string[] args)
    {
        if (!TryParse(args, out var directory, out var options))
        {
            return 2;
        }

        var result = await VerifyLoad.RunAsync(
            Hub(options),
            directory,
            (int)Long(options, "--connections", 32),
            TimeSpan.FromSeconds(Long(options, "--warmup", 10)),
            TimeSpan.FromSeconds(Long(options, "--duration", 30)),
            TimeSpan.FromSeconds(Long(options, "--limits-seconds", 3)),
            options.TryGetValue("--hub-setting", out var settings) ? settings : [],
            Console.Error,
            CancellationToken.None);
        var r = result;
        Console.WriteLine(new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"`coldtrace-bench verify {string.Join(' ', args)}` — {r.Entries:N0} entries, {r.Packs:N0} packs, {r.Connections} connections, {r.Seconds:N0} s measured, {Environment.ProcessorCount} cores, load average {r.LoadBefore} before / {r.LoadAfter} after")
            .AppendLine()
            .AppendLine("| measurement | figure | ours / raw (same run) |")
            .AppendLine("| --- | --- | --- |")
            .AppendLine(CultureInfo.InvariantCulture, $"| verifications answered (200, with proof bundles) / failed | **{r.RequestsPerSecond:N0}/s** ({r.Requests:N0}) / {r.Failures:N0} | {r.RequestsPerSecond / r.CheckpointRequestsPerSecond:P1} of the HTTP floor |")
            .AppendLine(CultureInfo.InvariantCulture, $"| latency p50 / p90 / p99 / max | {r.P50Ms:N2} / {r.P90Ms:N2} / {r.P99Ms:N2} / {r.MaxMs:N2} ms | — |")
            .AppendLine(CultureInfo.InvariantCulture, $"| proofs per answer (every {VerifyLoad.CheckEvery}th answer read: verified, right pack, a bundle per proof) | {r.ProofsPerAnswer:N2} ({r.Checked:N0} answers read) | — |")
            .AppendLine(CultureInfo.InvariantCulture, $"| hub CPU / client CPU / hub peak RSS | {r.HubCores:N2} / {r.ClientCores:N2} cores / {r.HubPeakRss / 1048576.0:N0} MiB | {(r.HubCores is { } cores && cores > 0 ? $"{r.RequestsPerSecond / cores:N0} verifications per hub core-second" : "—")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| HTTP floor: GET /v1/log/checkpoint, same client and connections | {r.CheckpointRequestsPerSecond:N0}/s | machine limit |")
            .AppendLine(CultureInfo.InvariantCulture, $"| raw SHA-256 (201-byte leaves), 1 core / raw Ed25519 verifications, all cores | {r.Sha256PerSecondOneCore:N0}/s / {r.Ed25519PerSecondAllCores:N0}/s | machine limit |")
            .AppendLine(CultureInfo.InvariantCulture, $"| hub start-up / custody replay before the run | {r.StartupSeconds:N1} s / {r.ReplaySeconds:N1} s | — |"));
        WriteJson(options, result);
        return r.Failures == 0 && r.Requests > 0 ? 0 : 1;
    }

    public static int Recall(string[] args)
    {
        if (!TryParse(args, out var directory, out var options))
        {
            return 2;
        }

        var r = RecallTiming.Run(directory, (int)Long(options, "--runs", 20), Console.Error);
        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"`coldtrace-bench recall {string.Join(' ', args)}` — {r.Entries:N0} entries, {r.PacksKnown:N0} packs, {r.Readings:N0} readings, custody state rebuilt in process in {r.ReplaySeconds:N1} s; load average {r.LoadBefore} before / {r.LoadAfter} after")
            .AppendLine()
            .AppendLine("| query | packs (or readings) found / sites | p50 / max over runs |")
            .AppendLine("| --- | --- | --- |");
        foreach (var f in r.Figures)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {f.What} | {f.Packs:N0} / {f.Sites:N0} | {f.P50Ms:N1} / {f.MaxMs:N1} ms ({f.Runs} runs) |");
        }

        Console.WriteLine(table);
        WriteJson(options, r);
        return 0;
    }

    private static async Task<(double Startup, double Replay, long Replayed, double Cpu, long Rss)> StartupAsync(string hubDll, string directory)
    {
        await using var hub = await ScaleHub.StartAsync(hubDll, directory, [], TimeSpan.FromMinutes(60), CancellationToken.None);
        return (hub.Startup.TotalSeconds, hub.Replay.TotalSeconds, hub.ReplayedEntries, hub.StartupCpu?.TotalSeconds ?? 0, ProcessMeter.PeakRss(hub.Pid) ?? 0);
    }

    private static string Hub(Dictionary<string, List<string>> options) =>
        options.TryGetValue("--hub", out var hub) ? hub[^1] : Path.Combine(AppContext.BaseDirectory, "coldtrace-hub.dll");

    private static void WriteJson<T>(Dictionary<string, List<string>> options, T value)
    {
        if (options.TryGetValue("--json", out var json))
        {
            File.WriteAllText(json[^1], JsonSerializer.Serialize(value, SeedManifest.Json));
        }
    }

    private static long Long(Dictionary<string, List<string>> options, string name, long fallback) =>
        options.TryGetValue(name, out var values) ? long.Parse(values[^1], CultureInfo.InvariantCulture) : fallback;

    private static bool TryParse(string[] args, out string directory, out Dictionary<string, List<string>> options)
    {
        options = new(StringComparer.Ordinal);
        directory = string.Empty;
        if (args is not [var first, .. var rest] || first.StartsWith('-'))
        {
            Console.Error.WriteLine(Usage);
            return false;
        }

        directory = Path.GetFullPath(first);
        for (var i = 0; i < rest.Length; i++)
        {
            var name = rest[i];
            if (name == "--startup")
            {
                options[name] = [];
                continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= rest.Length)
            {
                Console.Error.WriteLine($"error: {name} needs a value");
                Console.Error.WriteLine(Usage);
                return false;
            }

            if (!options.TryGetValue(name, out var values))
            {
                options[name] = values = [];
            }

            values.Add(rest[++i]);
        }

        return true;
    }
}
