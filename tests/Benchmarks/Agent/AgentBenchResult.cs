using System.Globalization;
using System.Text;
using SupplyChain.Benchmarks.Load;

namespace SupplyChain.Benchmarks.Agent;

/// <summary>Scans sent at <see cref="Rate"/> (null: flat out, one after the other) and their signal lines.</summary>
internal sealed record ScanFigure(double? Rate, int Scans, int Greens, int SeqGaps, double ScansPerSecond, Percentiles ScanToDurable)
{
    public bool IsSound => Greens == Scans && SeqGaps == 0;
}

/// <summary>The running agent: connected, idle, then scanning.</summary>
internal sealed record LiveFigure(
    double ConnectSeconds,
    double SettleSeconds,
    long IdleRssBytes,
    long IdlePeakRssBytes,
    double IdleCores,
    long RssAfterScansBytes,
    long PeakRssBytes,
    int Sensors,
    ScanFigure Steady,
    ScanFigure Flat);

/// <summary>Bytes on disk of a data directory holding <see cref="Events"/> buffered custody events.</summary>
internal sealed record DiskFigure(long Events, long Bytes, long AllocatedBytes, double SeedSeconds, IReadOnlyDictionary<string, long> Files)
{
    public double BytesPerEvent => (double)Bytes / Events;

    public static DiskFigure Of(string directory, long events, double seedSeconds)
    {
        var files = new DirectoryInfo(directory).GetFiles().ToDictionary(f => f.Name, f => f.Length);
        return new DiskFigure(events, files.Values.Sum(), Allocated(directory), seedSeconds, files);
    }

    // du's figure: blocks actually allocated (st_blocks × 512), which is what fills a card.
    private static long Allocated(string directory)
    {
        long total = 0;
        foreach (var file in Directory.GetFiles(directory))
        {
            var info = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%b %B", file]) { RedirectStandardOutput = true };
            using var process = System.Diagnostics.Process.Start(info)!;
            var words = process.StandardOutput.ReadToEnd().Trim().Split(' ');
            process.WaitForExit();
            total += long.Parse(words[0], CultureInfo.InvariantCulture) * long.Parse(words[1], CultureInfo.InvariantCulture);
        }

        return total;
    }
}

/// <summary>Raw LiteDB bytes per document of <see cref="EnvelopeBytes"/> under <see cref="Indexes"/> (see <see cref="AgentLimits.LiteDbBytesPerDocument"/>).</summary>
internal sealed record DiskShare(int EnvelopeBytes, string Indexes, double BytesPerDocument);

/// <summary>A buffered backlog handed over once the endpoint is reachable.</summary>
internal sealed record DrainFigure(
    string Endpoint,
    long Events,
    double EventsPerSecond,
    double Seconds,
    double? EndpointEventsPerSecond,
    double AgentCores,
    long AgentPeakRssBytes,
    long Resent,
    double? HubCores,
    double Pace,
    int Envelopes,
    int InFlight);

/// <summary>One run of <c>coldtrace-bench agent</c>.</summary>
internal sealed record AgentBenchResult(
    string Command,
    string Machine,
    string LoadBefore,
    string LoadAfter,
    AgentLimits Limits,
    LiveFigure? Live,
    IReadOnlyList<DiskFigure> Disk,
    IReadOnlyList<DiskShare> DiskShares,
    DrainFigure? Drain,
    DrainFigure? DrainHub)
{
    private const double MiB = 1024 * 1024;

    public bool IsSound => Live is null || (Live.Steady.IsSound && Live.Flat.IsSound);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"`{Command}` — {Machine}; load average {LoadBefore} before / {LoadAfter} after");
        text.AppendLine();
        text.AppendLine("| measurement | figure | ours / raw (same run) |");
        text.AppendLine("| --- | --- | --- |");
        var commit = 1000 / Limits.LiteDbDurableInsertsPerSecond;
        if (Live is { } live)
        {
            foreach (var (name, scans) in new[] { ("steady", live.Steady), ("flat out", live.Flat) })
            {
                var what = scans.Rate is { } r ? string.Create(c, $"{r:0.#} scans/s") : "flat out (next scan on the previous signal)";
                // Since the custody journal a scan costs one write + fdatasync, not a LiteDB transaction: both floors are shown.
                var fsync = 1000 / Limits.FsyncsPerSecond;
                var ratio = string.Create(
                    c,
                    $"p50 = {scans.ScanToDurable.P50 / commit:0.0}× one raw durable LiteDB insert ({commit:0.0} ms), {scans.ScanToDurable.P50 / fsync:0.0}× one raw fsync ({fsync:0.00} ms)");
                text.AppendLine(c, $"| scan-to-durable, {what}: p50 / p95 / p99 / max | {scans.ScanToDurable} | {ratio} |");
                if (scans.Rate is null)
                {
                    text.AppendLine(c, $"| scans per second flat out | {scans.ScansPerSecond:N0}/s | {scans.ScansPerSecond / Limits.LiteDbDurableInsertsPerSecond:P0} of raw durable LiteDB inserts, {scans.ScansPerSecond / Limits.FsyncsPerSecond:P1} of raw fsyncs |");
                }

                if (!scans.IsSound)
                {
                    text.AppendLine(c, $"| **{name}: unsound** | {scans.Greens} greens of {scans.Scans} scans, {scans.SeqGaps} seq gaps | — |");
                }
            }

            text.AppendLine(c, $"| idle RSS (VmRSS, median of 5 s after {live.SettleSeconds:0} s connected, {live.Sensors} simulated sensors) / peak until then (VmHWM) | {live.IdleRssBytes / MiB:F1} / {live.IdlePeakRssBytes / MiB:F1} MiB | idle CPU {live.IdleCores:0.000} cores |");
            text.AppendLine(c, $"| RSS after the scans / peak over the run | {live.RssAfterScansBytes / MiB:F1} / {live.PeakRssBytes / MiB:F1} MiB | — |");
        }

        foreach (var disk in Disk)
        {
            var files = string.Join(", ", disk.Files.OrderByDescending(f => f.Value).Select(f => string.Create(c, $"{f.Key} {f.Value / MiB:F1} MiB")));
            text.AppendLine(c, $"| disk for {disk.Events:N0} buffered custody events (sum of file sizes / allocated) | {disk.Bytes / MiB:F1} / {disk.AllocatedBytes / MiB:F1} MiB, **{disk.BytesPerEvent:F0} B per event** ({files}) | {disk.BytesPerEvent / Limits.DocumentBytes:0.00}× the {Limits.DocumentBytes} B envelope; 1,000,000 events → {disk.BytesPerEvent * 1_000_000 / 1e9:0.00} GB |");
        }

        foreach (var share in DiskShares)
        {
            text.AppendLine(c, $"| raw LiteDB file per document: {share.EnvelopeBytes} B envelope, secondary indexes {share.Indexes} | {share.BytesPerDocument:F0} B | {share.BytesPerDocument / share.EnvelopeBytes:0.00}× the envelope |");
        }

        foreach (var drain in new[] { Drain, DrainHub })
        {
            if (drain is null)
            {
                continue;
            }

            var endpoint = drain.EndpointEventsPerSecond is { } e ? string.Create(c, $"; endpoint saw the last new event at {e:N0}/s") : string.Empty;
            var hub = drain.HubCores is { } h ? string.Create(c, $", hub {h:0.00} cores") : string.Empty;
            text.AppendLine(c, $"| backlog drain, {drain.Events:N0} events to the {drain.Endpoint}; pace {drain.Pace:N0} messages/s × {drain.Envelopes}, {drain.InFlight} in flight | **{drain.EventsPerSecond:N0} events/s** acked and removed ({drain.Seconds:F1} s{endpoint}); {drain.Resent:N0} resent | agent {drain.AgentCores:0.00} cores{hub}, peak RSS {drain.AgentPeakRssBytes / MiB:F0} MiB; {drain.EventsPerSecond / Limits.LiteDbBatchedInsertsPerSecond:P0} of raw batched LiteDB inserts, {drain.EventsPerSecond / Limits.Ed25519SignsPerSecond:P1} of raw Ed25519 signs |");
        }

        text.AppendLine(c, $"| raw fsync (4 KiB rewrite + fsync) | {Limits.FsyncsPerSecond:N0}/s | machine limit |");
        text.AppendLine(c, $"| raw LiteDB durable inserts ({Limits.DocumentBytes} B outbox-like document, 1 per commit + checkpoint, log and data fsynced as the outbox does) | {Limits.LiteDbDurableInsertsPerSecond:N0}/s ({commit:0.0} ms each) | machine limit |");
        text.AppendLine(c, $"| raw LiteDB durable inserts, {AgentLimits.BatchSize} per commit | {Limits.LiteDbBatchedInsertsPerSecond:N0}/s | machine limit |");
        text.AppendLine(c, $"| raw Ed25519 signs (NSec), 1 core | {Limits.Ed25519SignsPerSecond:N0}/s | machine limit |");
        return text.ToString();
    }
}
