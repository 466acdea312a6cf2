using System.Collections.Concurrent;
using System.Text;
using SupplyChain.Hub.Audit;
using SupplyChain.Hub.Log;

namespace SupplyChain.IntegrationTests.Log;

/// <summary>
/// Power loss while appending: the real hub process is SIGKILLed at random moments, at least 20 times. After every kill,
/// every entry whose index was acknowledged is still there with that index, the tree matches the last checkpoint (the
/// next start's own check), earlier checkpoints are unchanged, and the audit is clean.
/// </summary>
public sealed class LogCrashTests
{
    private static readonly int Rounds = ReliabilityRun.Pick(20, 40);

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Sigkill_WhileAppending_LosesNoAcknowledgedEntryAndAuditsClean()
    {
        var directory = Directory.CreateTempSubdirectory("coldtrace-crash-").FullName;
        var host = ChildProcess.ProjectDll("tests/SupplyChain.LogCrashHost", "SupplyChain.LogCrashHost");
        var acknowledged = new Dictionary<long, long>();
        var checkpoints = new Dictionary<long, string>();
        var random = new Random(20261124);

        for (var round = 0; round < Rounds; round++)
        {
            var acks = new ConcurrentQueue<(long N, long Index)>();
            using (var process = ChildProcess.StartDotnet(host, directory, (round * 10_000_000L).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                var firstAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var errors = new StringBuilder();
                process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
                process.OutputDataReceived += (_, e) =>
                {
                    var parts = e.Data?.Split(' ');
                    if (parts is ["ack", var n, var index])
                    {
                        acks.Enqueue((long.Parse(n, System.Globalization.CultureInfo.InvariantCulture), long.Parse(index, System.Globalization.CultureInfo.InvariantCulture)));
                        firstAck.TrySetResult();
                    }
                };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();

                var started = await Task.WhenAny(firstAck.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
                Assert.True(firstAck.Task.IsCompleted, $"round {round}: the hub did not start appending. stderr:\n{errors}");

                // Kill at a random moment: sometimes almost at once, sometimes across several checkpoint periods.
                await Task.Delay(random.Next(5, 1200));
                process.Kill();
                await process.WaitForExitAsync();
            }

            foreach (var (n, index) in acks)
            {
                Assert.True(acknowledged.TryAdd(n, index), $"entry {n} acknowledged twice");
            }

            using var store = new LiteDbLogStore(Path.Combine(directory, "log.db"));
            foreach (var (n, index) in acknowledged)
            {
                var entry = store.ReadEntry(index);
                Assert.NotNull(entry);
                Assert.Equal($"crash-entry-{n}", Encoding.UTF8.GetString(entry.Leaf.AsSpan(1)));
            }

            var indexes = acknowledged.Values.ToHashSet();
            Assert.Equal(acknowledged.Count, indexes.Count);

            foreach (var checkpoint in store.ReadCheckpoints())
            {
                if (checkpoints.TryGetValue(checkpoint.Size, out var earlier))
                {
                    Assert.Equal(earlier, checkpoint.Note);
                }
                else
                {
                    checkpoints[checkpoint.Size] = checkpoint.Note;
                }
            }

            var key = HubSigningKey.LoadOrCreate(directory, new LogOptions().Origin);
            var report = new LogAudit(store, key.Verifier, new LogOptions().Origin).Run();
            Assert.True(report.IsClean, $"round {round}: {report.Failure} at {report.FailedIndex}");
        }

        Assert.True(acknowledged.Count > Rounds, $"only {acknowledged.Count} entries were acknowledged in {Rounds} rounds");
    }
}
