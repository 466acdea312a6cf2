using System.Diagnostics;
using System.Globalization;
using SupplyChain.Agent.Identity;
using SupplyChain.Benchmarks.Load;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Benchmarks.Agent;

/// <summary>
/// <c>coldtrace-bench agent</c>: the agent's figures of issue #8 against the real agent process and real files, each
/// beside the machine's own limits measured in the same run (<see cref="AgentLimits"/>).
/// </summary>
internal static class AgentBenchmark
{
    private const string DeviceId = "bench-agent";
    private const string Password = "bench-agent-pa55word";

    public static async Task<AgentBenchResult> RunAsync(AgentBenchSettings settings, TextWriter progress)
    {
        var root = settings.Directory ?? Path.Combine(Path.GetTempPath(), "coldtrace-bench-agent-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        var loadBefore = ProcessMeter.LoadAverage();
        var machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion.VersionString}, .NET {Environment.Version}";
        try
        {
            progress.WriteLine("limits: raw fsync, LiteDB durable inserts (1 and 256 per commit), Ed25519 signs");
            var each = TimeSpan.FromSeconds(settings.LimitsSeconds);
            var limits = AgentLimits.Measure(Path.Combine(root, "limits"), EnvelopeBytes(), each);

            var live = settings.Scans + settings.FlatScans > 0 || settings.SettleSeconds > 0
                ? await LiveAsync(settings, Path.Combine(root, "live"), progress)
                : null;

            var disk = new List<DiskFigure>();
            var seeded = new Dictionary<long, string>();
            foreach (var size in settings.DiskSizes)
            {
                var directory = Path.Combine(root, $"disk-{size}");
                var seconds = await SeedAsync(directory, size, progress);
                disk.Add(DiskFigure.Of(directory, size, seconds));
                seeded[size] = directory;
                progress.WriteLine($"disk: {size:N0} events, {disk[^1].Bytes:N0} bytes ({disk[^1].BytesPerEvent:F0} B/event)");
            }

            // Where the bytes go: the envelope as stored, the same without base64 (3/4), and a compressed-sized one, each
            // with no secondary index and with the outbox's five.
            var shares = new List<DiskShare>();
            if (settings.DiskSizes.Count > 0)
            {
                var envelope = EnvelopeBytes();
                foreach (var bytes in (int[])[envelope, envelope * 3 / 4, 500])
                {
                    foreach (var indexes in (string[][])[[], ["ps", "qd", "qr", "ut", "eid"]])
                    {
                        var label = indexes.Length == 0 ? "none" : string.Join(", ", indexes);
                        shares.Add(new DiskShare(bytes, label, AgentLimits.LiteDbBytesPerDocument(Path.Combine(root, "limits"), bytes, indexes, (int)Math.Min(20_000, settings.DiskSizes.Max()))));
                    }
                }
            }

            DrainFigure? drain = null;
            if (settings.Drain > 0)
            {
                var directory = seeded.GetValueOrDefault(settings.Drain) ?? Path.Combine(root, "drain");
                if (!seeded.ContainsKey(settings.Drain))
                {
                    await SeedAsync(directory, settings.Drain, progress);
                }

                drain = await DrainToAckerAsync(settings, directory, settings.Drain, progress);
            }

            DrainFigure? drainHub = null;
            if (settings.DrainHub > 0)
            {
                var directory = Path.Combine(root, "drain-hub");
                await SeedAsync(directory, settings.DrainHub, progress);
                drainHub = await DrainToHubAsync(settings, root, directory, settings.DrainHub, progress);
            }

            return new AgentBenchResult(settings.CommandLine, machine, loadBefore, ProcessMeter.LoadAverage(), limits, live, disk, shares, drain, drainHub);
        }
        finally
        {
            if (settings.Directory is null)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Idle RSS, then scan-to-durable at a steady rate and flat out, with the agent connected to a real hub.</summary>
    private static async Task<LiveFigure> LiveAsync(AgentBenchSettings settings, string root, TextWriter progress)
    {
        var agentDirectory = Path.Combine(root, "agent");
        Directory.CreateDirectory(agentDirectory);
        string publicKey;
        using (var identity = DeviceIdentity.LoadOrCreate(agentDirectory, DeviceId))
        {
            publicKey = identity.PublicKeyBase64;
        }

        await using var hub = await HubUnderTest.StartAsync(
            settings.HubDll, Path.Combine(root, "hub"), [new EnrolRequest(DeviceId, publicKey, OutboxSeed.Site, "manufacturer", Password, "coldtrace-bench")], [], 1, false, CancellationToken.None);
        string[] sensors = [.. Enumerable.Range(0, settings.Sensors).SelectMany(i => new[] { $"Sensors:Devices:{i}:Type=simulated", $"Sensors:Devices:{i}:Id=probe-{i}" })];
        await using var agent = AgentChild.Start(
            settings.AgentDll,
            agentDirectory,
            DeviceId,
            [$"Delivery:Host={hub.BrokerHost}", $"Delivery:Port={hub.BrokerPort}", $"Delivery:Password={Password}", "Station:AssetGiai=9506000134352FRIDGE1", .. sensors, .. settings.AgentSettings],
            []);
        var started = Stopwatch.StartNew();
        while (await agent.MetricsAsync(CancellationToken.None) is not { } metrics || Metric(metrics, "coldtrace_agent_delivery_connected") != 1)
        {
            Require(!agent.HasExited && started.Elapsed < TimeSpan.FromSeconds(90), "agent did not connect to the hub: " + agent.Output);
            await Task.Delay(200);
        }

        var connectedAfter = started.Elapsed;
        progress.WriteLine($"agent connected after {connectedAfter.TotalSeconds:F1} s; settling {settings.SettleSeconds} s");
        await Task.Delay(TimeSpan.FromSeconds(settings.SettleSeconds));
        var idleSamples = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            idleSamples.Add(agent.Memory().Rss);
            await Task.Delay(1000);
        }

        var (_, idlePeak) = agent.Memory();
        var idleCpuFrom = ProcessMeter.CpuTime(agent.Pid) ?? TimeSpan.Zero;
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(5000);
        var idleCores = ((ProcessMeter.CpuTime(agent.Pid) ?? TimeSpan.Zero) - idleCpuFrom).TotalSeconds / idleClock.Elapsed.TotalSeconds;

        long next = 0;
        progress.WriteLine($"steady: {settings.Scans} scans at {settings.Rate}/s");
        var steady = await ScansAsync(agent, settings.Scans, settings.Rate, () => next++);
        progress.WriteLine($"flat out: {settings.FlatScans} scans");
        var flat = await ScansAsync(agent, settings.FlatScans, null, () => next++);
        var (afterRss, peak) = agent.Memory();
        idleSamples.Sort();
        return new LiveFigure(
            connectedAfter.TotalSeconds,
            settings.SettleSeconds,
            idleSamples[idleSamples.Count / 2],
            idlePeak,
            idleCores,
            afterRss,
            peak,
            settings.Sensors,
            steady,
            flat);
    }

    // Each scan's latency is from just before its line is written to the moment its signal line is read; the station takes
    // scans one at a time in order, so the n-th signal answers the n-th scan. A steady rate schedules scan k at start + k/rate
    // (a late signal delays nothing: the next line is written on time and waits in the pipe, so queueing shows as latency).
    private static async Task<ScanFigure> ScansAsync(AgentChild agent, int count, double? rate, Func<long> nextPack)
    {
        var sentAt = new long[count];
        var latencies = new List<double>(count);
        var greens = 0;
        var answered = 0;
        long? lastSeq = null;
        var gaps = 0;
        using var answeredSignal = new SemaphoreSlim(0);
        var clock = Stopwatch.StartNew();

        // The reader blocks on the agent's signal lines: a thread of its own, not a thread-pool thread. The lines arrive
        // through Process.BeginOutputReadLine callbacks, which need a free pool thread; a blocked reader plus a spinning
        // writer held both of a 2-core machine's pool threads, and the callback waited ~1 s for the pool to add one
        // (the flat-out maximum of 0.8-0.95 s in every run before).
        var reader = Task.Factory.StartNew(
            () =>
        {
            for (var k = 0; k < count; k++)
            {
                var signal = agent.NextSignal(TimeSpan.FromSeconds(60)) ?? throw new TimeoutException($"no signal for scan {k} in 60 s: {agent.Output}");
                while (Volatile.Read(ref sentAt[k]) == 0)
                {
                    Thread.SpinWait(10);
                }

                latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[k]), signal.At).TotalMilliseconds);
                Interlocked.Increment(ref answered);
                var words = signal.Line.Split(' ');
                if (words is [_, "green", var seqText, _] && long.TryParse(seqText, CultureInfo.InvariantCulture, out var seq))
                {
                    greens++;
                    gaps += lastSeq is { } last && seq != last + 1 ? 1 : 0;
                    lastSeq = seq;
                }

                answeredSignal.Release();
            }
        },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        var done = 0;
        for (var k = 0; k < count; k++)
        {
            if (rate is { } perSecond)
            {
                var due = TimeSpan.FromSeconds(k / perSecond);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
            }
            else
            {
                // Flat out: the next scan as soon as the previous one is answered (the station takes one at a time). Awaited,
                // not spun: a spinning writer took one of the two cores from the agent it measures.
                while (Volatile.Read(ref answered) < done && !reader.IsCompleted)
                {
                    await answeredSignal.WaitAsync(TimeSpan.FromSeconds(1));
                }
            }

            var pack = nextPack();
            Volatile.Write(ref sentAt[k], agent.Scan(OutboxSeed.Scan(pack)));
            done = k + 1;
        }

        await reader;
        var seconds = clock.Elapsed.TotalSeconds;
        return new ScanFigure(rate, count, greens, gaps, count / seconds, Percentiles.Of(latencies));
    }

    /// <summary>Seeds a backlog through the agent's own outbox in a child process (under eatmydata when installed).</summary>
    private static async Task<double> SeedAsync(string directory, long count, TextWriter progress)
    {
        Directory.CreateDirectory(directory);
        var eatmydata = File.Exists("/usr/bin/eatmydata");
        var info = new ProcessStartInfo(eatmydata ? "/usr/bin/eatmydata" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (eatmydata)
        {
            info.ArgumentList.Add("dotnet");
        }

        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "coldtrace-bench.dll"), "agent-seed", directory, DeviceId, count.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(argument);
        }

        progress.WriteLine($"seeding {count:N0} events in {directory}{(eatmydata ? " (eatmydata)" : string.Empty)}");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Require(process.ExitCode == 0, $"seeding failed ({process.ExitCode}): {await stderr}");
        _ = await stdout;
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<DrainFigure> DrainToAckerAsync(AgentBenchSettings settings, string directory, long count, TextWriter progress)
    {
        await using var acker = await AckingBroker.StartAsync();
        progress.WriteLine($"drain: {count:N0} events to the acking endpoint on port {acker.Port}");
        var figure = await DrainAsync(settings, directory, count, "127.0.0.1", acker.Port, "acking endpoint (MQTTnet broker that answers every envelope at once, no signature check, no storage)", progress, acker);
        Require(acker.Distinct == count, $"the acking endpoint saw {acker.Distinct:N0} distinct events, not {count:N0}");
        return figure with { Resent = acker.Received - acker.Distinct };
    }

    private static async Task<DrainFigure> DrainToHubAsync(AgentBenchSettings settings, string root, string directory, long count, TextWriter progress)
    {
        string publicKey;
        using (var identity = DeviceIdentity.LoadOrCreate(directory, DeviceId))
        {
            publicKey = identity.PublicKeyBase64;
        }

        await using var hub = await HubUnderTest.StartAsync(
            settings.HubDll, Path.Combine(root, "drain-hub-data"), [new EnrolRequest(DeviceId, publicKey, OutboxSeed.Site, "manufacturer", Password, "coldtrace-bench")], [], 1, false, CancellationToken.None);
        progress.WriteLine($"drain: {count:N0} events to a real hub (LiteDB, embedded broker) on port {hub.BrokerPort}");
        var hubCpu = ProcessMeter.CpuTime(hub.Pids[0]) ?? TimeSpan.Zero;
        var figure = await DrainAsync(settings, directory, count, hub.BrokerHost, hub.BrokerPort, "real hub on loopback (LiteDB log, embedded broker, default settings)", progress, null);
        var hubCores = ((ProcessMeter.CpuTime(hub.Pids[0]) ?? hubCpu) - hubCpu).TotalSeconds / figure.Seconds;
        return figure with { HubCores = hubCores };
    }

    // The agent starts on the seeded directory with the broker up; the drain runs from the first ack the agent applied
    // (acked_total > 0) to the moment its custody backlog reads 0, polled every 100 ms on /metrics.
    private static async Task<DrainFigure> DrainAsync(AgentBenchSettings settings, string directory, long count, string host, int port, string endpoint, TextWriter progress, AckingBroker? acker)
    {
        await using var agent = AgentChild.Start(
            settings.AgentDll,
            directory,
            DeviceId,
            [
                $"Delivery:Host={host}", $"Delivery:Port={port}", $"Delivery:Password={Password}",
                "Delivery:DrainAfter=00:00:01",
                $"Delivery:DrainMessagesPerSecond={settings.Pace.ToString(CultureInfo.InvariantCulture)}",
                $"Delivery:MaxEnvelopesPerMessage={settings.Envelopes}",
                $"Delivery:MaxInFlightMessages={settings.InFlight}",
                $"Outbox:MaxCustodyEvents={Math.Max(100_000, count + 1)}",
                .. settings.AgentSettings,
            ],
            []);
        var clock = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(settings.DrainTimeoutSeconds);

        // The drain runs from the first poll that sees an ack to the poll that sees the backlog empty. A backlog drained
        // between two polls has no such start; it then runs from the last poll that saw no ack yet (or the agent's start),
        // which can only make the rate look lower.
        var (noAckAt, noAckCpu) = (Stopwatch.GetTimestamp(), TimeSpan.Zero);
        long firstAckAt = 0, ackedAtFirst = 0;
        var cpuFirst = TimeSpan.Zero;
        var lastProgress = TimeSpan.Zero;
        while (true)
        {
            Require(!agent.HasExited, "agent exited: " + agent.Output);
            Require(clock.Elapsed < limit, $"drain not done in {limit.TotalSeconds} s: {agent.Output}");
            var cpu = ProcessMeter.CpuTime(agent.Pid) ?? TimeSpan.Zero;
            var now = Stopwatch.GetTimestamp();
            var metrics = await agent.MetricsAsync(CancellationToken.None);
            if (metrics is null)
            {
                await Task.Delay(100);
                continue;
            }

            var acked = (long)(Metric(metrics, "coldtrace_agent_delivery_acked_total") ?? 0);
            var backlog = Metric(metrics, "coldtrace_agent_outbox_backlog{kind=\"custody\"}") ?? count;
            if (acked == 0)
            {
                (noAckAt, noAckCpu) = (now, cpu);
            }
            else if (firstAckAt == 0)
            {
                (firstAckAt, ackedAtFirst, cpuFirst) = backlog == 0 ? (noAckAt, 0L, noAckCpu) : (now, acked, cpu);
            }

            if (clock.Elapsed - lastProgress > TimeSpan.FromSeconds(10))
            {
                lastProgress = clock.Elapsed;
                progress.WriteLine($"  {clock.Elapsed.TotalSeconds:F0} s: acked {acked:N0}, backlog {backlog:N0}");
            }

            if (backlog == 0 && acked >= count)
            {
                var seconds = Math.Max(Stopwatch.GetElapsedTime(firstAckAt, now).TotalSeconds, 1e-3);
                var cores = (cpu - cpuFirst).TotalSeconds / seconds;
                var resent = Metric(metrics, "coldtrace_agent_delivery_resent_total") ?? 0;
                var hubSeconds = acker is { FirstAt: > 0 } a ? Stopwatch.GetElapsedTime(a.FirstAt, a.LastNewAt).TotalSeconds : (double?)null;
                return new DrainFigure(endpoint, count, (count - ackedAtFirst) / seconds, seconds, hubSeconds is > 0 and { } h ? count / h : null, cores, agent.Memory().Peak, (long)resent, null, settings.Pace, settings.Envelopes, settings.InFlight);
            }

            await Task.Delay(100);
        }
    }

    private static double? Metric(string metrics, string name)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    // The length of a commissioning envelope as the agent stores it, for the raw limits' document size.
    private static int EnvelopeBytes()
    {
        var signer = SupplyChain.Contracts.Signing.DeviceSigner.Create();
        var stamp = new SupplyChain.Contracts.Events.DeviceStamp(DeviceId, 123_456, SupplyChain.Contracts.Signing.EventId.Compute([1]), "0123456789abcdef0123456789abcdef", ClockSynced: true);
        var payload = SupplyChain.Contracts.Events.EventCodec.Encode(OutboxSeed.Commission(stamp, 123_456, TimeProvider.System.GetUtcNow()));
        return SupplyChain.Contracts.Signing.EnvelopeCodec.Encode(signer.Sign(payload, SupplyChain.Contracts.Events.EventVocabulary.PayloadType)).Length;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
