using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SupplyChain.Benchmarks.Load;

/// <summary>The hub's and the generator's resources over the measured window, and the machine's load around it.</summary>
internal sealed record LoadResources(double? HubCores, long? HubPeakRssBytes, MemoryTrace HubMemory, double GeneratorCores, double SignSeconds, string LoadBefore, string LoadAfter);

/// <summary>The machine's limits measured in the same run.</summary>
/// <summary>
/// The machine's limits measured in the same run. Ed25519 is measured before the run and again after the drain, and the
/// higher of the two is the limit the ratios use: on a shared machine a measurement taken while others are busy is low,
/// and a low limit would flatter the ratio.
/// </summary>
internal sealed record LoadLimits(double Ed25519Before, double Ed25519After, double LiteDbInserts, int LeafBytes, int BatchSize)
{
    public double Ed25519AllCores => Math.Max(Ed25519Before, Ed25519After);
}

/// <summary>Latency percentiles in milliseconds (nearest rank).</summary>
internal sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(List<double> samples)
    {
        samples.Sort();
        double At(double p) => samples.Count == 0 ? 0 : samples[Math.Max(0, (int)Math.Ceiling(p * samples.Count) - 1)];
        return new Percentiles(samples.Count, At(0.50), At(0.95), At(0.99), samples.Count == 0 ? 0 : samples[^1]);
    }

    public override string ToString() => Count == 0
        ? "no samples (no event scanned in the window was answered)"
        : string.Create(CultureInfo.InvariantCulture, $"{P50:0.0} / {P95:0.0} / {P99:0.0} / {Max:0.0} ms ({Count:N0} events)");
}

/// <summary>What one run measured, with the checks that the measurement itself is sound (every event acked once).</summary>
internal sealed record LoadResult(
    int Devices,
    double? OfferedRate,
    double DurationSeconds,
    double WarmupSeconds,
    double OfferedPerSecond,
    double AcceptedPerSecond,
    long Sent,
    long Behind,
    long Acknowledged,
    long Rejected,
    long Lost,
    long Unexpected,
    long DuplicateFlags,
    long OrderViolations,
    long NotCheckpointed,
    int InvalidCheckpoints,
    Percentiles ScanToAck,
    Percentiles ScanToCheckpoint,
    LoadResources Resources,
    LoadLimits Limits,
    IReadOnlyList<string> RejectReasons,
    int EnvelopeBytes,
    long Messages,
    string CommandLine)
{
    /// <summary>True when every event sent was acknowledged exactly once, accepted, in device order and checkpointed.</summary>
    public bool IsSound => Rejected == 0 && Lost == 0 && Unexpected == 0 && DuplicateFlags == 0 && OrderViolations == 0 && NotCheckpointed == 0 && InvalidCheckpoints == 0;

    public static LoadResult From(LoadSettings settings, IReadOnlyList<LoadDevice> devices, CheckpointLog checkpoints, long windowStart, long windowEnd, LoadResources resources, LoadLimits limits)
    {
        var ack = new List<double>();
        var checkpoint = new List<double>();
        long sent = 0, acknowledged = 0, lost = 0, order = 0, notCheckpointed = 0, offered = 0, accepted = 0;
        foreach (var device in devices)
        {
            var previous = -1L;
            foreach (var e in device.Events())
            {
                sent++;
                acknowledged += e.Acks > 0 ? 1 : 0;
                lost += e.Acks == 0 ? 1 : 0;
                accepted += e.AckedAt >= windowStart && e.AckedAt < windowEnd ? 1 : 0;
                if (e.Index >= 0)
                {
                    order += e.Index <= previous ? 1 : 0;
                    previous = e.Index;
                }

                var covered = e.Index >= 0 ? checkpoints.CoveredAt(e.Index) : null;
                notCheckpointed += e.Index >= 0 && covered is null ? 1 : 0;
                if (e.ScannedAt < windowStart || e.ScannedAt >= windowEnd)
                {
                    continue;
                }

                offered++;
                if (e.AckedAt > 0)
                {
                    ack.Add(Stopwatch.GetElapsedTime(e.ScannedAt, e.AckedAt).TotalMilliseconds);
                }

                if (covered is { } at)
                {
                    // A checkpoint can arrive before the ack that names the index it covers; the event is under a signed
                    // checkpoint only once the device knows its index, so the later of the two counts.
                    checkpoint.Add(Stopwatch.GetElapsedTime(e.ScannedAt, Math.Max(at, e.AckedAt)).TotalMilliseconds);
                }
            }
        }

        var seconds = settings.Duration.TotalSeconds;
        return new LoadResult(
            settings.Devices,
            settings.Rate,
            seconds,
            settings.Warmup.TotalSeconds,
            offered / seconds,
            accepted / seconds,
            sent,
            settings.Rate is null ? 0 : devices.Sum(d => (long)d.Due) - sent,
            acknowledged,
            devices.Sum(d => (long)d.Rejected),
            lost,
            devices.Sum(d => (long)d.Unexpected),
            devices.Sum(d => (long)d.DuplicateFlags),
            order,
            notCheckpointed,
            checkpoints.Invalid,
            Percentiles.Of(ack),
            Percentiles.Of(checkpoint),
            resources,
            limits,
            [.. devices.SelectMany(d => d.RejectReasons).Distinct().Take(10)],
            devices[0].EnvelopeBytes,
            devices.Sum(d => (long)d.Messages),
            settings.CommandLine);
    }

    /// <summary>The Markdown table docs/BENCHMARKS.md keeps, with the command and the machine's load around the run.</summary>
    public string ToMarkdown()
    {
        var r = Resources;
        var l = Limits;
        var rows = new StringBuilder();
        rows.AppendLine(Invariant($"`coldtrace-bench {CommandLine}` — {Devices} devices, {(OfferedRate is { } o ? $"{o:N0}/s offered" : "flat out")}, {WarmupSeconds:N0} s warm-up + {DurationSeconds:N0} s measured, {EnvelopeBytes} B envelopes, {(Messages > 0 ? (double)Sent / Messages : 0):0.0} per message, {Environment.ProcessorCount} cores, load average {r.LoadBefore} before / {r.LoadAfter} after"));
        rows.AppendLine();
        rows.AppendLine("| measurement | figure | ours / raw (same run) |");
        rows.AppendLine("| --- | --- | --- |");
        rows.AppendLine(Invariant($"| sent (scanned in the window) / accepted (acked in the window) | {OfferedPerSecond:N0}/s / **{AcceptedPerSecond:N0}/s** | {AcceptedPerSecond / l.Ed25519AllCores:P1} of all-core Ed25519; {AcceptedPerSecond / l.LiteDbInserts:P1} of raw LiteDB inserts |"));
        rows.AppendLine(Invariant($"| sent / acked / rejected / lost / unexpected acks / order violations | {Sent:N0} / {Acknowledged:N0} / {Rejected} / {Lost} / {Unexpected} / {OrderViolations} | {(IsSound ? "every event acked once, in order, under a checkpoint" : "**unsound run**")} |"));
        if (Behind > 0)
        {
            rows.AppendLine(Invariant($"| events due in the run but never sent (the hub held the senders back) | **{Behind:N0}** | latency percentiles leave them out: the offered rate was not carried |"));
        }

        rows.AppendLine(Invariant($"| scan-to-ack p50 / p95 / p99 / max | {ScanToAck} | — |"));
        rows.AppendLine(Invariant($"| scan-to-checkpoint p50 / p95 / p99 / max | {ScanToCheckpoint} | — |"));
        rows.AppendLine(Invariant($"| hub CPU (utime+stime over the window) / peak RSS (VmHWM) | {(r.HubCores is { } c ? $"{c:0.00} cores" : "—")} / {(r.HubPeakRssBytes is { } m ? $"{m / 1048576.0:N0} MiB" : "—")} | {(r.HubCores is { } c2 && c2 > 0 ? $"{AcceptedPerSecond / c2:N0} events per core-second" : "—")} |"));
        if (r.HubMemory is { First: { } first, Middle: { } middle, Last: { } last } memory)
        {
            var growth = last.Bytes - first.Bytes;
            var perEvent = AcceptedPerSecond > 0 ? growth / (AcceptedPerSecond * (last.Seconds - first.Seconds)) : 0;
            rows.AppendLine(Invariant($"| hub RSS (VmRSS, {memory.Samples.Count} samples) at window start / middle / end / max | {Mib(first.Bytes)} / {Mib(middle.Bytes)} / {Mib(last.Bytes)} / {Mib(memory.Max)} | {growth / 1048576.0:+0;-0} MiB over the window, {perEvent:N0} B per accepted event |"));
        }

        rows.AppendLine(Invariant($"| generator CPU over the window (events signed before the run in {r.SignSeconds:0.0} s) | {r.GeneratorCores:0.00} cores | — |"));
        rows.AppendLine(Invariant($"| raw Ed25519 verifications (NSec), {Environment.ProcessorCount} cores, before the run / after it | {l.Ed25519Before:N0}/s / {l.Ed25519After:N0}/s | machine limit: the higher, {l.Ed25519AllCores:N0}/s |"));
        rows.AppendLine(Invariant($"| raw LiteDB inserts ({l.LeafBytes} B leaf + 32 B unique key, {l.BatchSize} per durable commit) | {l.LiteDbInserts:N0}/s | machine limit |"));
        return rows.ToString();
    }

    private static string Mib(long bytes) => Invariant($"{bytes / 1048576.0:N0} MiB");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The result as JSON (<c>--json</c>), which the smoke test reads.</summary>
internal static class LoadResultJson
{
    public static System.Text.Json.JsonSerializerOptions Options { get; } = new() { WriteIndented = true };
}
