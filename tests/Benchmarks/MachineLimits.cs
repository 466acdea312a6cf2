using System.Diagnostics;
using System.Security.Cryptography;
using LiteDB;
using NSec.Cryptography;
using SupplyChain.Hub.Log;

namespace SupplyChain.Benchmarks;

/// <summary>The machine's own limits, measured in the same run as the figures compared with them.</summary>
internal static class MachineLimits
{
    /// <summary>RFC 9162 leaf hashes per second on one core, for leaves of <paramref name="leafSize"/> bytes.</summary>
    public static double Sha256LeafHashesPerSecond(int leafSize, TimeSpan duration)
    {
        var leaf = new byte[leafSize + 1];
        Span<byte> hash = stackalloc byte[32];
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < 1000; i++)
            {
                leaf[1] = (byte)i;
                SHA256.HashData(leaf, hash);
            }

            count += 1000;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Ed25519 verifications per second (NSec) on <paramref name="threads"/> threads.</summary>
    public static double Ed25519VerificationsPerSecond(int threads, TimeSpan duration)
    {
        var algorithm = SignatureAlgorithm.Ed25519;
        using var key = Key.Create(algorithm);
        var message = new byte[600];
        var signature = algorithm.Sign(key, message);
        long total = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            long count = 0;
            while (clock.Elapsed < duration)
            {
                for (var i = 0; i < 100; i++)
                {
                    if (!algorithm.Verify(key.PublicKey, message, signature))
                    {
                        throw new InvalidOperationException("Ed25519 self-check failed.");
                    }
                }

                count += 100;
            }

            Interlocked.Add(ref total, count);
        });
        return total / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Raw LiteDB inserts per second as the log needs them: documents of an index, a 32-byte random key under a unique
    /// index and <paramref name="leafBytes"/> of leaf, <paramref name="batchSize"/> per transaction, each commit made
    /// durable the way <see cref="LiteDbLogStore"/> does it (fsyncing streams, checkpoint after commit), in a fresh file
    /// in <paramref name="directory"/>. No duplicate lookup, no counters, no tree: the floor under sequencing.
    /// </summary>
    public static double LiteDbBatchedInsertsPerSecond(string directory, int leafBytes, int batchSize, TimeSpan duration)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "raw-insert.db");
        long count = 0;
        var clock = Stopwatch.StartNew();
        using (var data = new DurableFileStream(path))
        using (var log = new DurableFileStream(Path.Combine(directory, "raw-insert-log.db")))
        using (var db = new LiteDatabase(data, logStream: log))
        {
            var entries = db.GetCollection("entries", BsonAutoId.Int64);
            entries.EnsureIndex("lh", unique: true);
            var leaf = new byte[leafBytes];
            var key = new byte[32];
            clock.Restart();
            while (clock.Elapsed < duration)
            {
                db.BeginTrans();
                for (var i = 0; i < batchSize; i++, count++)
                {
                    RandomNumberGenerator.Fill(key);
                    entries.Insert(new BsonDocument { ["_id"] = count, ["lh"] = key.ToArray(), ["leaf"] = leaf });
                }

                db.Commit();
                db.Checkpoint();
            }
        }

        var rate = count / clock.Elapsed.TotalSeconds;
        File.Delete(path);
        File.Delete(Path.Combine(directory, "raw-insert-log.db"));
        return rate;
    }
}
