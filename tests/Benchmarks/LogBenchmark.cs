using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Benchmarks;

/// <summary>
/// The transparency log on LiteDB: durable sequencing in batches of 256 and integration with checkpoint signing on a log
/// of real entries; proof latency on trees of 1 M and 10 M leaves built through the same tile integration; bytes stored
/// per entry — each beside the raw SHA-256 and Ed25519 rates measured in the same run.
/// </summary>
internal static class LogBenchmark
{
    public static string Run(long entries, IReadOnlyList<long> treeSizes, int leafSize, string directory)
    {
        var sha = MachineLimits.Sha256LeafHashesPerSecond(leafSize, TimeSpan.FromSeconds(2));
        var ed1 = MachineLimits.Ed25519VerificationsPerSecond(1, TimeSpan.FromSeconds(2));
        var edAll = MachineLimits.Ed25519VerificationsPerSecond(Environment.ProcessorCount, TimeSpan.FromSeconds(2));
        var rows = new List<string>
        {
            $"| raw SHA-256 leaf hashes ({leafSize + 1}-byte leaves), 1 core | {F(sha)}/s | — |",
            $"| raw Ed25519 verifications (NSec), 1 core / {Environment.ProcessorCount} cores | {F(ed1)}/s / {F(edAll)}/s | — |",
        };

        rows.AddRange(Entries(entries, leafSize, Path.Combine(directory, "entries"), sha, edAll));
        foreach (var size in treeSizes)
        {
            rows.AddRange(Tree(size, Path.Combine(directory, $"tree-{size}"), sha));
        }

        return "| measurement | figure | ratio to this run's limit |\n| --- | --- | --- |\n" + string.Join('\n', rows) + "\n";
    }

    private static IEnumerable<string> Entries(long entries, int leafSize, string directory, double sha, double edAll)
    {
        Fresh(directory);
        var options = new LogOptions { IntegrationChunk = 1 << 16 };
        using var store = new LiteDbLogStore(Path.Combine(directory, "log.db"));
        using var integrator = NewIntegrator(store, new LogHead(), directory, options);
        var random = new Random(1);
        var batch = new List<PendingEntry>(256);
        var clock = Stopwatch.StartNew();
        var lastTenth = Stopwatch.StartNew();
        var lastTenthFrom = entries;
        for (long n = 0; n < entries;)
        {
            if (lastTenthFrom == entries && n >= entries * 9 / 10)
            {
                lastTenthFrom = n;
                lastTenth.Restart();
            }

            batch.Clear();
            for (var i = 0; i < 256 && n < entries; i++, n++)
            {
                var leaf = new byte[leafSize + 1];
                leaf[0] = (byte)LogLeafKind.HubDecision;
                random.NextBytes(leaf.AsSpan(1));
                batch.Add(new PendingEntry(leaf, Rfc9162.HashLeaf(leaf)));
            }

            store.Sequence(batch);
        }

        var sequencing = entries / clock.Elapsed.TotalSeconds;
        var sequencingLate = (entries - lastTenthFrom) / lastTenth.Elapsed.TotalSeconds;
        clock.Restart();
        integrator.IntegrateOnce();
        var integration = entries / clock.Elapsed.TotalSeconds;
        var bytes = Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);
        return
        [
            $"| sequencing {entries:N0} entries (durable batches of 256, LiteDB), whole run / last 10 % | {F(sequencing)}/s / {F(sequencingLate)}/s | {R(sequencing / sha)} of SHA-256; {R(sequencing / edAll)} of all-core Ed25519 |",
            $"| integration of those {entries:N0} entries (read entries, hash, tiles, signed checkpoint) | {F(integration)}/s | {R(integration / sha)} of SHA-256 |",
            $"| bytes stored per entry at {entries:N0} (all files / entries) | {F((double)bytes / entries)} B | leaf is {leafSize + 1} B |",
        ];
    }

    private static IEnumerable<string> Tree(long size, string directory, double sha)
    {
        Fresh(directory);
        var options = new LogOptions();
        using var store = new LiteDbLogStore(Path.Combine(directory, "log.db"));
        var head = new LogHead();
        var key = HubSigningKey.LoadOrCreate(directory, options.Origin);
        var clock = Stopwatch.StartNew();
        var leaf = new byte[9];
        var leafHash = new byte[32];
        var appender = new TreeAppender(store.ReadTile, 0);
        while (appender.Size < size)
        {
            var end = Math.Min(size, appender.Size + (1 << 20));
            while (appender.Size < end)
            {
                BitConverter.TryWriteBytes(leaf.AsSpan(1), appender.Size);
                Rfc9162.HashLeaf(leaf, leafHash);
                appender.Append(leafHash);
            }

            var root = new TreeView(appender.ReadTile).RootAt(appender.Size);
            var note = SignedNote.Sign(new Checkpoint(options.Origin, appender.Size, root).ToBody(), key.Signer);
            store.Integrate(appender.ChangedTiles(), new StoredCheckpoint(appender.Size, root, note));
            head.Set(new StoredCheckpoint(appender.Size, root, note));
            appender = new TreeAppender(store.ReadTile, appender.Size);
        }

        var integration = size / clock.Elapsed.TotalSeconds;
        var reader = new LogReader(store, head);
        var (inclusion50, inclusion99) = Latency(5000, () => reader.InclusionProof(Random.Shared.NextInt64(size), size));
        var (consistency50, consistency99) = Latency(5000, () => reader.ConsistencyProof(1 + Random.Shared.NextInt64(size - 1), size));
        var tileBytes = Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);
        return
        [
            $"| tree integration to {size:N0} leaves (hash, tiles, one signed checkpoint per 2^20) | {F(integration)}/s | {R(integration / sha)} of SHA-256 |",
            $"| inclusion proof at {size:N0}, p50 / p99 (random index) | {Ms(inclusion50)} / {Ms(inclusion99)} ms | — |",
            $"| consistency proof at {size:N0}, p50 / p99 (random old size) | {Ms(consistency50)} / {Ms(consistency99)} ms | — |",
            $"| tree storage at {size:N0} (tiles, checkpoints) | {F((double)tileBytes / size)} B per leaf | — |",
        ];
    }

    private static LogIntegrator NewIntegrator(ILogStore store, LogHead head, string directory, LogOptions options) =>
        new(store, head, new IntegratorLease(null, TimeProvider.System, NullLogger<IntegratorLease>.Instance), HubSigningKey.LoadOrCreate(directory, options.Origin), Options.Create(options), TimeProvider.System, NullLogger<LogIntegrator>.Instance);

    private static void Fresh(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
    }

    private static (double P50, double P99) Latency(int count, Action action)
    {
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(samples);
        return (samples[count / 2], samples[(int)(count * 0.99)]);
    }

    private static string F(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string R(double v) => v.ToString("P1", CultureInfo.InvariantCulture);

    private static string Ms(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
