using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using SupplyChain.Benchmarks.Load;

namespace SupplyChain.Benchmarks.Scale;

/// <summary>What <c>seed</c> built and how long each part took; written to <c>seed.json</c> in the data directory.</summary>
internal sealed record SeedManifest(
    long Packs,
    long Cases,
    long Entries,
    long DeviceEvents,
    long Readings,
    int Sites,
    int Devices,
    string Gtin,
    int LotSize,
    DateTimeOffset Start,
    DateTimeOffset End,
    double SignSeconds,
    double SequenceSeconds,
    double IntegrateSeconds,
    double TotalSeconds,
    double SequencedPerSecondFirstTenth,
    double SequencedPerSecondLastTenth,
    long LeafBytes,
    long LogBytes,
    long DataDirectoryBytes,
    string LoadBefore,
    string LoadAfter)
{
    public const string FileName = "seed.json";

    /// <summary>With <c>--startup</c>: the hub's start on the directory (process start to broker listening).</summary>
    public double? StartupSeconds { get; init; }

    /// <summary>With <c>--startup</c>: the hub's custody replay (its <c>CustodyReplay</c> log line) and the entries it applied.</summary>
    public double? ReplaySeconds { get; init; }

    public long? ReplayedEntries { get; init; }

    public long? StartupPeakRss { get; init; }

    public double? StartupCpuSeconds { get; init; }

    /// <summary>The seeding process's CPU time (user + system, all threads).</summary>
    public double CpuSeconds { get; init; }

    /// <summary>
    /// One verification step's log work on the seeded log through the hub's <see cref="LogReader"/>: read a random
    /// entry and make its proof bundle against the checkpoint, p50 / p99 over 5,000 (tile caches warming as in a hub).
    /// </summary>
    public double ProofP50Ms { get; init; }

    public double ProofP99Ms { get; init; }

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static SeedManifest Read(string dataDirectory) =>
        JsonSerializer.Deserialize<SeedManifest>(File.ReadAllText(Path.Combine(dataDirectory, FileName)), Json)
        ?? throw new InvalidDataException($"{FileName} is empty.");
}

/// <summary>
/// <c>coldtrace-bench seed</c>: builds a hub data directory holding a realistic log fast. Devices are enrolled through the
/// hub's own enrolment (hub-decision leaves, as <c>devices enroll</c> writes them); their events are real DSSE envelopes
/// signed with each device's Ed25519 key, chained by <c>seq</c>/<c>prev</c>, encoded as the hub encodes what it admits,
/// and written through the hub's own <see cref="LiteDbLogStore.Sequence"/> in large batches (each batch one durable
/// commit, as in the hub) instead of through MQTT and the ingest pipeline. The device chain heads go to
/// <c>chains.db</c>, and the hub's own <see cref="LogIntegrator"/> builds the tree and signs the checkpoint, so the hub
/// starts on the directory normally (its start-up check verifies that checkpoint against the stored tree).
/// </summary>
internal static class Seeder
{
    public static async Task<SeedManifest> RunAsync(string directory, long entries, long packs, int batchSize, TextWriter progress)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"{directory} is not empty: seed builds a new data directory.");
        }

        var loadBefore = ProcessMeter.LoadAverage();
        var total = Stopwatch.StartNew();
        using var population = new SeedPopulation();
        var timeline = new SeedTimeline(population, packs, entries, new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));
        var origin = new LogOptions().Origin;
        progress.WriteLine($"seeding {timeline.Packs:N0} packs ({timeline.Cases:N0} cases), {timeline.Events:N0} device events, {timeline.Readings:N0} readings, {timeline.Start:yyyy-MM-dd} to {timeline.End:yyyy-MM-dd}");

        await EnrolAsync(directory, origin, population, timeline.Start.AddDays(-1));

        var sign = TimeSpan.Zero;
        var sequence = TimeSpan.Zero;
        var sequencedRates = new List<(long Entries, double Seconds)>();
        var logPath = Path.Combine(directory, "log.db");
        var fast = new LiteDbLogStore(logPath, durable: false);
        LiteDbLogStore? store = fast;
        try
        {
            var windows = timeline.Windows(batchSize).GetEnumerator();
            Task<(PendingEntry[] Entries, TimeSpan Took)>? next = windows.MoveNext() ? SignAsync(population, timeline, windows.Current) : null;
            var written = fast.ReadState().SequencedSize;
            var reported = 0L;
            var leafBytes = 0L;
            while (next is not null)
            {
                var (batch, took) = await next;
                sign += took;
                next = windows.MoveNext() ? SignAsync(population, timeline, windows.Current) : null;
                var clock = Stopwatch.StartNew();
                var results = fast.Sequence(batch);
                sequence += clock.Elapsed;
                sequencedRates.Add((batch.Length, clock.Elapsed.TotalSeconds));
                leafBytes += batch.Sum(entry => (long)entry.Leaf.Length);
                for (var i = 0; i < results.Count; i++)
                {
                    if (results[i].IsDuplicate || results[i].Index != written + i)
                    {
                        throw new InvalidOperationException($"Entry {written + i} was sequenced at {results[i].Index} (duplicate: {results[i].IsDuplicate}).");
                    }
                }

                written += results.Count;
                if (written - reported >= 1_000_000 || next is null)
                {
                    progress.WriteLine($"  {written:N0} entries sequenced ({total.Elapsed.TotalSeconds:N0} s)");
                    reported = written;
                }
            }

            WriteChainHeads(directory, population);

            // Everything sequenced reaches the disk before the hub's own integrator, on a durable store as in the hub,
            // builds the tree and signs the checkpoint over it.
            var flush = Stopwatch.StartNew();
            fast.Flush();
            fast.Dispose();
            sequence += flush.Elapsed;
            store = new LiteDbLogStore(logPath);
            var integrate = Stopwatch.StartNew();
            var options = Options.Create(new LogOptions { Origin = origin, IntegrationChunk = 1 << 20 });
            var key = HubSigningKey.LoadOrCreate(directory, origin);
            var head = new LogHead();
            var size = new LogIntegrator(store, head, new IntegratorLease(null, TimeProvider.System, NullLogger<IntegratorLease>.Instance), key, options, TimeProvider.System, NullLogger<LogIntegrator>.Instance).IntegrateOnce();
            var integrated = integrate.Elapsed;
            if (size != written)
            {
                throw new InvalidOperationException($"The checkpoint covers {size} entries of {written}.");
            }

            var (proof50, proof99) = ProofLatency(new LogReader(store, head), size, 5000);

            var tenth = Math.Max(1, sequencedRates.Count / 10);
            static double Rate(IEnumerable<(long Entries, double Seconds)> part) => part.Sum(p => p.Entries) / Math.Max(1e-9, part.Sum(p => p.Seconds));
            var manifest = new SeedManifest(
                timeline.Packs,
                timeline.Cases,
                written,
                timeline.Events,
                timeline.Readings,
                population.Sites.Count,
                population.Devices.Count,
                SeedPopulation.Gtin,
                SeedPopulation.LotSize,
                timeline.Start,
                timeline.End,
                sign.TotalSeconds,
                sequence.TotalSeconds,
                integrated.TotalSeconds,
                total.Elapsed.TotalSeconds,
                Rate(sequencedRates.Take(tenth)),
                Rate(sequencedRates.TakeLast(tenth)),
                leafBytes,
                Bytes(directory, "log*"),
                0,
                loadBefore,
                ProcessMeter.LoadAverage());
            store.Dispose();
            store = null;
            manifest = manifest with { DataDirectoryBytes = Bytes(directory, "*"), ProofP50Ms = proof50, ProofP99Ms = proof99, CpuSeconds = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds };
            File.WriteAllText(Path.Combine(directory, SeedManifest.FileName), JsonSerializer.Serialize(manifest, SeedManifest.Json));
            return manifest;
        }
        finally
        {
            store?.Dispose();
            fast.Dispose();
        }
    }

    private static async Task EnrolAsync(string directory, string origin, SeedPopulation population, DateTimeOffset at)
    {
        await using var offline = await OfflineDevices.OpenAsync(directory, origin, postgres: null, new FixedClock(at), CancellationToken.None);
        foreach (var device in population.Devices)
        {
            var outcome = await offline.Enrolment.EnrollAsync(device.Enrolment(), CancellationToken.None);
            if (!outcome.IsSuccess)
            {
                throw new InvalidOperationException($"Enrolling {device.Id} failed: {outcome.Error}");
            }
        }
    }

    /// <summary>
    /// Builds and signs a window's events on all cores: each device's events in order on one thread (its chain), the
    /// devices in parallel. Returns the leaves in the window's (time) order.
    /// </summary>
    private static Task<(PendingEntry[] Entries, TimeSpan Took)> SignAsync(SeedPopulation population, SeedTimeline timeline, List<SeedEvent> window) =>
        Task.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            var entries = new PendingEntry[window.Count];
            var byDevice = new Dictionary<SeedDevice, List<int>>();
            for (var i = 0; i < window.Count; i++)
            {
                var e = window[i];
                var site = population.Sites[e.Site];
                var device = e.Step == SeedStep.SensorReport ? site.Sensor : site.Station;
                if (!byDevice.TryGetValue(device, out var list))
                {
                    byDevice[device] = list = [];
                }

                list.Add(i);
            }

            Parallel.ForEach(byDevice, pair =>
            {
                var device = pair.Key;
                foreach (var i in pair.Value)
                {
                    var stamp = new DeviceStamp(device.Id, device.NextSeq, device.Prev, "boot-1", ClockSynced: true);
                    var payload = EventCodec.Encode(Build(population, timeline, window[i], stamp));
                    var envelope = device.Signer.Sign(payload, EventVocabulary.PayloadType);
                    device.Prev = envelope.EventId;
                    device.NextSeq++;
                    var leaf = LogLeaf.Encode(LogLeafKind.DeviceEvent, Contracts.Signing.EnvelopeCodec.Encode(envelope));
                    entries[i] = new PendingEntry(leaf, Rfc9162.HashLeaf(leaf));
                }
            });
            return (entries, clock.Elapsed);
        });

    private static CustodyEvent Build(SeedPopulation population, SeedTimeline timeline, SeedEvent e, DeviceStamp stamp)
    {
        var time = new DateTimeOffset(e.Ticks, TimeSpan.Zero);
        var site = population.Sites[e.Site];
        if (e.Step == SeedStep.SensorReport)
        {
            var first = timeline.Start + (SeedTimeline.ReportPeriod * e.Number);
            var samples = new TemperatureSample[SeedPopulation.SamplesPerReport];
            for (var k = 0; k < samples.Length; k++)
            {
                samples[k] = new TemperatureSample(first.AddMinutes(k), 4.0m + (((e.Site * 7) + (e.Number * 3) + k) % 30 / 10m));
            }

            return CustodyEvents.ReportTemperatures(time, stamp, site.Uri, site.Asset, samples);
        }

        var packs = new string[SeedPopulation.CaseSize];
        for (var p = 0; p < packs.Length; p++)
        {
            packs[p] = SeedPopulation.PackUri((e.Number * SeedPopulation.CaseSize) + p);
        }

        var maker = population.Sites[timeline.SiteOf(SeedStep.Commission, e.Number)];
        var wholesaler = population.Sites[timeline.SiteOf(SeedStep.ReceiveAtWholesaler, e.Number)];
        var pharmacy = population.Sites[timeline.SiteOf(SeedStep.ReceiveAtPharmacy, e.Number)];
        return e.Step switch
        {
            SeedStep.Commission => CustodyEvents.Commission(time, stamp, site.Uri, packs, SeedPopulation.Lot(e.Number * SeedPopulation.CaseSize), SeedPopulation.Expiry),
            SeedStep.ShipToWholesaler => CustodyEvents.Ship(time, stamp, site.Uri, packs, wholesaler.Uri),
            SeedStep.ReceiveAtWholesaler => CustodyEvents.Receive(time, stamp, site.Uri, packs, maker.Uri),
            SeedStep.ShipToPharmacy => CustodyEvents.Ship(time, stamp, site.Uri, packs, pharmacy.Uri),
            _ => CustodyEvents.Receive(time, stamp, site.Uri, packs, wholesaler.Uri),
        };
    }

    private static void WriteChainHeads(string directory, SeedPopulation population)
    {
        using var heads = new LiteDbChainHeadStore(Path.Combine(directory, LiteDbChainHeadStore.FileName));
        var list = new List<KeyValuePair<DeviceId, ChainHead>>();
        foreach (var device in population.Devices.Where(d => d.NextSeq > 0))
        {
            if (!DeviceId.TryParse(device.Id, out var id, out var reason))
            {
                throw new InvalidOperationException($"{device.Id}: {reason}");
            }

            list.Add(new(id, new ChainHead(device.NextSeq - 1, device.Prev)));
        }

        heads.WriteMany(list);
    }

    private static (double P50, double P99) ProofLatency(LogReader reader, long size, int count)
    {
        var random = new Random(1);
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var index = random.NextInt64(size);
            var clock = Stopwatch.StartNew();
            var entry = reader.Entry(index);
            var bundle = reader.ProofBundle(index);
            samples[i] = clock.Elapsed.TotalMilliseconds;
            if (entry is null || bundle is null)
            {
                throw new InvalidOperationException($"Entry {index} or its proof is missing.");
            }
        }

        Array.Sort(samples);
        return (samples[count / 2], samples[(int)(count * 0.99)]);
    }

    private static long Bytes(string directory, string pattern) =>
        new DirectoryInfo(directory).EnumerateFiles(pattern, SearchOption.AllDirectories).Sum(f => f.Length);

    /// <summary>The enrolment decisions' time: a day before the first seeded event.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
