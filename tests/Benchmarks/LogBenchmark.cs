using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Benchmarks;

/// <summary>
/// The transparency log on LiteDB at a given size: durable sequencing in batches of 256, integration into tiles with
/// checkpoint signing, proof latency at that size, bytes stored per entry — beside the raw SHA-256 rate of this run.
/// </summary>
internal static class LogBenchmark
{
    public static string Run(long entries, int leafSize, string directory)
    {
        Directory.CreateDirectory(directory);
        var sha = MachineLimits.Sha256LeafHashesPerSecond(leafSize, TimeSpan.FromSeconds(2));
        var ed1 = MachineLimits.Ed25519VerificationsPerSecond(1, TimeSpan.FromSeconds(2));
        var edAll = MachineLimits.Ed25519VerificationsPerSecond(Environment.ProcessorCount, TimeSpan.FromSeconds(2));

        var options = new LogOptions { IntegrationChunk = 1 << 16 };
        using var store = new LiteDbLogStore(Path.Combine(directory, "log.db"));
        var key = HubSigningKey.LoadOrCreate(directory, options.Origin);
        var head = new LogHead();
        using var integrator = new LogIntegrator(store, head, key, Options.Create(options), TimeProvider.System, NullLogger<LogIntegrator>.Instance);

        // Sequencing: the store's durable batch write, 256 entries a transaction, as the sequencer issues them.
        var start = store.ReadState().SequencedSize;
        var random = new Random(1);
        var batch = new List<PendingEntry>(256);
        var sequencing = Stopwatch.StartNew();
        for (var n = start; n < entries;)
        {
            batch.Clear();
            for (var i = 0; i < 256 && n < entries; i++, n++)
            {
                var leaf = new byte[leafSize + 1];
                leaf[0] = (byte)LogLeafKind.HubDecision;
                random.NextBytes(leaf.AsSpan(1));
                BitConverter.TryWriteBytes(leaf.AsSpan(1), n);
                var leafHash = Rfc9162.HashLeaf(leaf);
                batch.Add(new PendingEntry(leaf, leafHash, leafHash));
            }

            store.Sequence(batch);
            if (n % 1_000_000 == 0)
            {
                Console.Error.WriteLine($"sequenced {n:N0} ({n / sequencing.Elapsed.TotalSeconds:N0}/s)");
            }
        }

        sequencing.Stop();
        var sequenced = entries - start;

        var integration = Stopwatch.StartNew();
        var size = integrator.IntegrateOnce();
        integration.Stop();

        var reader = new LogReader(store, head);
        var (inclusionP50, inclusionP99) = Latency(2000, i => reader.InclusionProof(Random.Shared.NextInt64(size), size));
        var (consistencyP50, consistencyP99) = Latency(2000, i => reader.ConsistencyProof(1 + Random.Shared.NextInt64(size - 1), size));
        var bytes = Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);

        var sequencingRate = sequenced / sequencing.Elapsed.TotalSeconds;
        var integrationRate = sequenced / integration.Elapsed.TotalSeconds;
        string F(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
        string R(double v) => v.ToString("P1", CultureInfo.InvariantCulture);
        string Ms(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        return $"""
            | {entries:N0} entries, {leafSize}-byte leaves | figure | ratio to this run's limit |
            | --- | --- | --- |
            | raw SHA-256 leaf hashes, 1 core | {F(sha)}/s | — |
            | raw Ed25519 verifications, 1 core / {Environment.ProcessorCount} cores | {F(ed1)}/s / {F(edAll)}/s | — |
            | sequencing (durable batches of 256, LiteDB) | {F(sequencingRate)} entries/s | {R(sequencingRate / sha)} of SHA-256, {R(sequencingRate / edAll)} of all-core Ed25519 |
            | integration (tiles + signed checkpoint) | {F(integrationRate)} entries/s | {R(integrationRate / sha)} of SHA-256 |
            | inclusion proof at size {size:N0} (p50 / p99) | {Ms(inclusionP50)} ms / {Ms(inclusionP99)} ms | — |
            | consistency proof at size {size:N0} (p50 / p99) | {Ms(consistencyP50)} ms / {Ms(consistencyP99)} ms | — |
            | bytes stored per entry (all files / entries) | {F((double)bytes / size)} | leaf is {leafSize + 1} bytes |

            """;
    }

    private static (double P50, double P99) Latency(int count, Action<int> action)
    {
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            action(i);
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(samples);
        return (samples[count / 2], samples[(int)(count * 0.99)]);
    }
}
