using System.Diagnostics;

namespace SupplyChain.Benchmarks.Load;

/// <summary>
/// <c>coldtrace-bench load</c>: measures the machine's limits first (all-core Ed25519 verification, durable batched
/// LiteDB inserts), signs every device's events, starts or joins the hub, connects the devices, offers the load through
/// a warm-up and the measured window, waits for every ack and for a checkpoint covering every event, and reports.
/// </summary>
internal static class LoadGenerator
{
    /// <summary>The hub's largest sequencing batch (Log:BatchSize): the raw LiteDB rate is measured at it.</summary>
    private const int HubBatchSize = 256;

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public static async Task<LoadResult> RunAsync(LoadSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var ownDirectory = settings.DataDirectory is null;
        var directory = settings.DataDirectory ?? Directory.CreateTempSubdirectory("coldtrace-load-").FullName;
        Directory.CreateDirectory(directory);
        var devices = Enumerable.Range(0, settings.Devices).Select(n => new LoadDevice(n)).ToList();
        try
        {
            return await RunAsync(settings, directory, devices, progress, cancellationToken);
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }

            if (ownDirectory)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<LoadResult> RunAsync(LoadSettings settings, string directory, List<LoadDevice> devices, TextWriter progress, CancellationToken cancellationToken)
    {
        var loadBefore = ProcessMeter.LoadAverage();

        // Signed before the run, on all cores: the measured window spends the generator's CPU on MQTT only.
        var window = settings.Warmup + settings.Duration;
        var perDevice = settings.Rate is { } rate
            ? (int)Math.Ceiling(rate / settings.Devices * window.TotalSeconds) + 1
            : Math.Max(1, settings.Presign / settings.Devices);
        progress.WriteLine($"signing {perDevice:N0} events for each of {settings.Devices} devices");
        var signing = Stopwatch.StartNew();
        Parallel.ForEach(devices, device => device.Sign(perDevice));
        var signSeconds = signing.Elapsed.TotalSeconds;
        var leafBytes = devices[0].EnvelopeBytes + 1;

        progress.WriteLine("measuring the machine's limits");
        var edAll = MachineLimits.Ed25519VerificationsPerSecond(Environment.ProcessorCount, settings.LimitsDuration);
        var liteDb = MachineLimits.LiteDbBatchedInsertsPerSecond(Path.Combine(directory, "raw"), leafBytes, HubBatchSize, settings.LimitsDuration);

        progress.WriteLine(settings.StartsHub ? "enrolling devices and starting the hub" : "enrolling devices at the hub");
        await using var hub = settings.StartsHub
            ? await HubUnderTest.StartAsync(settings.HubDll, Path.Combine(directory, "hub"), devices, settings.HubSettings, settings.Hubs, settings.Mosquitto, cancellationToken)
            : await HubUnderTest.ConnectAsync(settings, devices, cancellationToken);
        var checkpoints = new CheckpointLog(hub.Verifier);
        for (var i = 0; i < devices.Count; i++)
        {
            await devices[i].ConnectAsync(hub.BrokerHost, hub.BrokerPort, settings.Window, settings.Envelopes, i == 0 ? checkpoints : null, cancellationToken);
        }

        progress.WriteLine($"offering {(settings.Rate is { } r ? $"{r:N0} events/s" : "flat out")} for {settings.Warmup.TotalSeconds:N0} s warm-up + {settings.Duration.TotalSeconds:N0} s");
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        var windowStart = start + Ticks(settings.Warmup);
        var end = windowStart + Ticks(settings.Duration);
        var sending = devices.Select((device, i) => settings.Rate is { } offered
            ? device.SendAtRateAsync(start, TimeSpan.FromSeconds(i / offered), TimeSpan.FromSeconds(settings.Devices / offered), end, cancellationToken)
            : device.SendFlatOutAsync(end, cancellationToken)).ToList();

        // CPU over the measured window only: the hub's from procfs, the generator's own for comparison.
        var generator = Process.GetCurrentProcess();
        await UntilAsync(windowStart, cancellationToken);
        var hubCpuStart = CpuTime(hub.Pids);
        var brokerCpuStart = hub.BrokerPid is { } brokerPid ? ProcessMeter.CpuTime(brokerPid) : null;
        // The first hub's memory (with several hubs they hold the same state).
        var memory = hub.Pids.Count > 0
            ? MemoryTrace.RecordAsync(hub.Pids[0], windowStart, end, MemoryPeriod(settings.Duration), cancellationToken)
            : Task.FromResult(MemoryTrace.Empty);
        generator.Refresh();
        var generatorCpuStart = generator.TotalProcessorTime;
        await UntilAsync(end, cancellationToken);
        var hubCpuEnd = CpuTime(hub.Pids);
        var brokerCpuEnd = hub.BrokerPid is { } brokerPid2 ? ProcessMeter.CpuTime(brokerPid2) : null;
        generator.Refresh();
        var generatorCpu = generator.TotalProcessorTime - generatorCpuStart;
        var loadAfter = ProcessMeter.LoadAverage();
        // Flat-out senders wait for a free window slot before they notice the end; a stalled hub must not hang the run.
        await Task.WhenAny(Task.WhenAll(sending), Task.Delay(DrainTimeout, cancellationToken));

        progress.WriteLine("waiting for every ack and a checkpoint covering every event");
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < DrainTimeout && !hub.HasExited
            && (devices.Sum(d => d.Unacknowledged()) > 0 || checkpoints.LargestSize() <= LargestIndex(devices)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        var peakRss = hub.Pids.Count == 0 ? null : hub.Pids.Sum(pid => ProcessMeter.PeakRss(pid));
        progress.WriteLine("measuring the machine's Ed25519 limit again");
        var edAllAfter = MachineLimits.Ed25519VerificationsPerSecond(Environment.ProcessorCount, settings.LimitsDuration);
        if (brokerCpuStart is { } bs && brokerCpuEnd is { } be)
        {
            progress.WriteLine($"mosquitto CPU over the window: {(be - bs).TotalSeconds / settings.Duration.TotalSeconds:F2} cores");
        }
        if (hub.HasExited)
        {
            throw new InvalidOperationException($"The hub exited during the run. stderr:\n{hub.Errors()}");
        }

        var seconds = settings.Duration.TotalSeconds;
        return LoadResult.From(
            settings,
            devices,
            checkpoints,
            windowStart,
            end,
            new LoadResources(
                hubCpuStart is { } a && hubCpuEnd is { } b ? (b - a).TotalSeconds / seconds : null,
                peakRss,
                await memory,
                generatorCpu.TotalSeconds / seconds,
                signSeconds,
                loadBefore,
                loadAfter),
            new LoadLimits(edAll, edAllAfter, liteDb, leafBytes, HubBatchSize));
    }

    /// <summary>About 60 samples over the window, at most one a second.</summary>
    private static TimeSpan MemoryPeriod(TimeSpan duration) => TimeSpan.FromSeconds(Math.Max(1, duration.TotalSeconds / 60));

    /// <summary>The summed CPU time of the hub processes; null when any is unknown.</summary>
    private static TimeSpan? CpuTime(IReadOnlyList<int> pids)
    {
        var total = TimeSpan.Zero;
        foreach (var pid in pids)
        {
            if (ProcessMeter.CpuTime(pid) is not { } cpu)
            {
                return null;
            }

            total += cpu;
        }

        return pids.Count == 0 ? null : total;
    }

    private static async Task UntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static long LargestIndex(List<LoadDevice> devices) =>
        devices.SelectMany(d => d.Events()).Select(e => e.Index).DefaultIfEmpty(-1).Max();
}
