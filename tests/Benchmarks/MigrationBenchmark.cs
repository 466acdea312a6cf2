using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Storage;
using SupplyChain.Hub.Users;

namespace SupplyChain.Benchmarks;

/// <summary>
/// <c>storage migrate</c>'s speed, which is the hub's downtime when it moves from LiteDB to PostgreSQL: a LiteDB data
/// directory of <c>entries</c> log entries of envelope size (integrated, with a signed checkpoint per 2^16), devices,
/// users and chain heads, migrated into an empty PostgreSQL database by the same code the command runs. Reported per
/// phase (copy, read-back and root, audit) beside this run's raw SHA-256 rate.
/// </summary>
internal static class MigrationBenchmark
{
    public static string Run(long entries, int leafSize, string directory, string connectionString)
    {
        var sha = MachineLimits.Sha256LeafHashesPerSecond(leafSize, TimeSpan.FromSeconds(2));
        var loadBefore = LoadAverage();
        Fresh(directory);
        var build = Stopwatch.StartNew();
        Build(entries, leafSize, directory);
        var built = build.Elapsed;
        var liteBytes = Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);

        using var target = PostgresOption.Open(connectionString);
        var lines = new TimedLines(Console.Error);
        MigrationResult result;
        using (var source = LiteDbHubFiles.TryOpen(directory, out var reason) ?? throw new InvalidOperationException(reason))
        {
            result = new StorageMigration(lines, TimeProvider.System).Run(source, target);
        }

        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.Error);
        }

        using var size = target.CreateCommand(
            "SELECT sum(pg_total_relation_size(t)) FROM unnest(ARRAY['log_entries','log_tiles','log_checkpoints','chain_heads','devices','users']::regclass[]) t");
        var pgBytes = Convert.ToInt64(size.ExecuteScalar(), CultureInfo.InvariantCulture);
        var total = result.Elapsed.TotalSeconds;
        var copy = lines.SecondsUntil("copied ");
        var verify = lines.SecondsUntil("committed") - copy;
        var audit = total - copy - verify;
        var perMillion = total / entries * 1_000_000;
        return
            $"{entries:N0} entries of {leafSize + 1} B, built in LiteDB in {built.TotalSeconds:F0} s; load average {loadBefore} before / {LoadAverage()} after\n\n" +
            "| measurement | figure | ratio to this run's limit |\n| --- | --- | --- |\n" +
            $"| raw SHA-256 leaf hashes ({leafSize + 1}-byte leaves), 1 core | {F(sha)}/s | — |\n" +
            $"| copy (LiteDB read, binary COPY into one transaction) | {copy:F1} s, {F(entries / copy)} entries/s | — |\n" +
            $"| read-back, leaf hashes and root before commit | {verify:F1} s, {F(entries / verify)} entries/s | {R(entries / verify / sha)} of SHA-256 |\n" +
            $"| audit of the committed copy (`log audit` over PostgreSQL) | {audit:F1} s, {F(entries / audit)} entries/s | {R(entries / audit / sha)} of SHA-256 |\n" +
            $"| **whole migration = downtime** | **{total:F1} s, {perMillion / 60:F1} min per million entries** | — |\n" +
            $"| bytes per entry, LiteDB files / PostgreSQL tables and indexes | {F((double)liteBytes / entries)} B / {F((double)pgBytes / entries)} B | leaf is {leafSize + 1} B |\n";
    }

    private static void Build(long entries, int leafSize, string directory)
    {
        var options = new LogOptions { IntegrationChunk = 1 << 16 };
        using (var store = new LiteDbLogStore(Path.Combine(directory, LiteDbHubFiles.LogFileName)))
        {
            var key = HubSigningKey.LoadOrCreate(directory, options.Origin);
            using var integrator = new LogIntegrator(store, new LogHead(), new IntegratorLease(null, TimeProvider.System, NullLogger<IntegratorLease>.Instance), key, Options.Create(options), TimeProvider.System, NullLogger<LogIntegrator>.Instance);
            var random = new Random(1);
            var batch = new List<PendingEntry>(4096);
            for (long n = 0; n < entries;)
            {
                batch.Clear();
                for (var i = 0; i < 4096 && n < entries; i++, n++)
                {
                    var leaf = new byte[leafSize + 1];
                    leaf[0] = (byte)LogLeafKind.DeviceEvent;
                    random.NextBytes(leaf.AsSpan(1));
                    batch.Add(new PendingEntry(leaf, Rfc9162.HashLeaf(leaf)));
                }

                store.Sequence(batch);
                if (n % (1 << 18) < 4096 || n == entries)
                {
                    integrator.IntegrateOnce();

                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  built {n:N0} / {entries:N0}"));
                }
            }
        }

        var site = Gln.TryParse("9506000134383", out var gln, out var why) ? gln : throw new InvalidOperationException(why);
        using var devices = new LiteDbDeviceRegistry(Path.Combine(directory, LiteDbDeviceRegistry.FileName));
        using var users = new LiteDbUserStore(Path.Combine(directory, LiteDbUserStore.FileName));
        using var heads = new LiteDbChainHeadStore(Path.Combine(directory, LiteDbChainHeadStore.FileName));
        for (var i = 0; i < 200; i++)
        {
            var id = DeviceId.TryParse($"device-{i}", out var device, out var bad) ? device : throw new InvalidOperationException(bad);
            devices.TryAdd(new DeviceRecord(id, new byte[32], site, DeviceRole.Pharmacy, "pbkdf2$bench", DateTimeOffset.UnixEpoch, i));
            heads.Write(id, new ChainHead(i, EventId.Compute(BitConverter.GetBytes(i))));
        }

        for (var i = 0; i < 50; i++)
        {
            var name = UserName.TryParse($"user-{i}", out var user, out var bad) ? user : throw new InvalidOperationException(bad);
            users.TryAdd(new UserRecord(name, UserRole.Pharmacist, $"hash-{i}", DateTimeOffset.UnixEpoch, Site: site));
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static void Fresh(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
    }

    private static string F(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string R(double v) => v.ToString("P1", CultureInfo.InvariantCulture);

    /// <summary>Passes the migration's lines on and notes when each was written, to time its phases.</summary>
    private sealed class TimedLines(TextWriter inner) : TextWriter
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(double Seconds, string Line)> _lines = [];

        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void WriteLine(string? value)
        {
            _lines.Add((_clock.Elapsed.TotalSeconds, value ?? string.Empty));
            inner.WriteLine(value);
        }

        public double SecondsUntil(string prefix) => _lines.First(l => l.Line.StartsWith(prefix, StringComparison.Ordinal)).Seconds;
    }
}
