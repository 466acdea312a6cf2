using System.Diagnostics;
using LiteDB;
using NSec.Cryptography;
using SupplyChain.Agent.Outbox;

namespace SupplyChain.Benchmarks.Agent;

/// <summary>The machine's limits under the agent's figures, measured in the same run on the same disk as its outbox.</summary>
internal sealed record AgentLimits(double FsyncsPerSecond, double LiteDbDurableInsertsPerSecond, double LiteDbBatchedInsertsPerSecond, double Ed25519SignsPerSecond, int DocumentBytes)
{
    public const int BatchSize = 256;

    public static AgentLimits Measure(string directory, int documentBytes, TimeSpan each) => new(
        MeasureFsyncs(directory, each),
        LiteDbInsertsPerSecond(directory, documentBytes, 1, each),
        LiteDbInsertsPerSecond(directory, documentBytes, BatchSize, each),
        MeasureSigns(documentBytes, each),
        documentBytes);

    /// <summary>Rewrites of one 4 KiB page followed by <c>fsync</c>, per second: the floor under any durable commit.</summary>
    public static double MeasureFsyncs(string directory, TimeSpan duration)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "raw-fsync.bin");
        var page = new byte[4096];
        long count = 0;
        var clock = Stopwatch.StartNew();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 1))
        {
            while (clock.Elapsed < duration)
            {
                file.Position = 0;
                page[0] = (byte)count;
                file.Write(page);
                file.Flush(flushToDisk: true);
                count++;
            }
        }

        var rate = count / clock.Elapsed.TotalSeconds;
        File.Delete(path);
        return rate;
    }

    /// <summary>
    /// Raw LiteDB inserts per second of documents shaped like the outbox's (a kind, a state, a seq under an index, a
    /// 32-byte id under an index, <paramref name="documentBytes"/> of envelope), <paramref name="batchSize"/> per
    /// transaction, each made durable the way the outbox does it: <see cref="DurableFileStream.OpenPair"/> (the log
    /// fsynced once before the data file changes, the data file at its flush), commit, checkpoint. No signing, no chain head, no JSON: the floor under an append.
    /// </summary>
    public static double LiteDbInsertsPerSecond(string directory, int documentBytes, int batchSize, TimeSpan duration)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "raw-outbox.db");
        var logPath = Path.Combine(directory, "raw-outbox-log.db");
        long count = 0;
        var clock = Stopwatch.StartNew();
        var (data, log) = DurableFileStream.OpenPair(path, logPath, FileMode.Create, FileShare.None);
        using (data)
        using (log)
        using (var db = new LiteDatabase(data, logStream: log))
        {
            var events = db.GetCollection("events", BsonAutoId.Int64);
            events.EnsureIndex("ps");
            events.EnsureIndex("eid");
            var envelope = new byte[documentBytes];
            var id = new byte[32];
            clock.Restart();
            while (clock.Elapsed < duration)
            {
                db.BeginTrans();
                for (var i = 0; i < batchSize; i++, count++)
                {
                    BitConverter.TryWriteBytes(id, count);
                    events.Insert(new BsonDocument { ["k"] = "c", ["st"] = "p", ["seq"] = count, ["ps"] = count, ["eid"] = id.ToArray(), ["env"] = envelope });
                }

                db.Commit();
                db.Checkpoint();
            }
        }

        var rate = count / clock.Elapsed.TotalSeconds;
        File.Delete(path);
        File.Delete(logPath);
        return rate;
    }

    /// <summary>
    /// Bytes of LiteDB file per document for documents shaped like the outbox's custody events with
    /// <paramref name="documentBytes"/> of envelope, under <paramref name="indexes"/> secondary indexes (the outbox has
    /// ps, qd, qr, ut and eid), <paramref name="count"/> documents inserted 256 per transaction without fsync: where the
    /// disk per buffered event goes (envelope, LiteDB's pages, indexes).
    /// </summary>
    public static double LiteDbBytesPerDocument(string directory, int documentBytes, IReadOnlyList<string> indexes, int count)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "raw-bytes.db");
        File.Delete(path);
        using (var db = new LiteDatabase(new ConnectionString { Filename = path }))
        {
            var events = db.GetCollection("events", BsonAutoId.Int64);
            foreach (var index in indexes)
            {
                events.EnsureIndex(index);
            }

            var envelope = new byte[documentBytes];
            Random.Shared.NextBytes(envelope);
            for (var start = 0; start < count; start += BatchSize)
            {
                db.BeginTrans();
                for (var i = start; i < Math.Min(count, start + BatchSize); i++)
                {
                    var id = new byte[32];
                    Random.Shared.NextBytes(id);
                    events.Insert(new BsonDocument
                    {
                        ["k"] = "c", ["st"] = "p", ["seq"] = (long)i, ["ps"] = (long)i, ["eid"] = id, ["env"] = envelope,
                        ["t"] = 638_000_000_000_000_000L + i, ["ut"] = 638_000_000_000_000_000L + i, ["z"] = false,
                    });
                }

                db.Commit();
            }

            db.Checkpoint();
        }

        var bytes = (double)new FileInfo(path).Length / count;
        File.Delete(path);
        return bytes;
    }

    /// <summary>NSec Ed25519 signatures per second on one core, of a message of <paramref name="messageBytes"/>.</summary>
    public static double MeasureSigns(int messageBytes, TimeSpan duration)
    {
        var algorithm = SignatureAlgorithm.Ed25519;
        using var key = Key.Create(algorithm);
        var message = new byte[messageBytes];
        var signature = new byte[algorithm.SignatureSize];
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < 100; i++)
            {
                message[0] = (byte)i;
                algorithm.Sign(key, message, signature);
            }

            count += 100;
        }

        return count / clock.Elapsed.TotalSeconds;
    }
}
