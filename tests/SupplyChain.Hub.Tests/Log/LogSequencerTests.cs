using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Log;

public sealed class LogSequencerTests
{
    [Fact]
    public async Task AppendAsync_SameLeafTwice_ReturnsTheExistingIndexAsDuplicate()
    {
        await using var log = await LogHarness.StartAsync();
        var first = await log.AppendAsync("recall opened");
        var other = await log.AppendAsync("recall closed");
        var again = await log.AppendAsync("recall opened");

        Assert.Equal(new SequenceResult(0, false), first);
        Assert.Equal(new SequenceResult(1, false), other);
        Assert.Equal(new SequenceResult(0, true), again);
        Assert.Equal(2, log.Store.ReadState().SequencedSize);
    }

    [Fact]
    public async Task AppendAsync_ManyConcurrentCallers_GetDenseDistinctIndexes()
    {
        await using var log = await LogHarness.StartAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => log.AppendAsync($"entry {i}")));

        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (long)i), results.Select(r => r.Index).Order());
        Assert.All(results, r => Assert.False(r.IsDuplicate));
        for (var i = 0; i < 2000; i += 137)
        {
            var entry = log.Store.ReadEntry(results[i].Index)!;
            Assert.Equal($"entry {i}", System.Text.Encoding.UTF8.GetString(entry.Leaf.AsSpan(1)));
        }
    }

    [Fact]
    public async Task AppendAsync_BodyLargerThanATileEntry_IsRefused()
    {
        await using var log = await LogHarness.StartAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            log.Sequencer.AppendAsync(LogLeafKind.HubDecision, new byte[LogSequencer.MaxBodySize + 1], CancellationToken.None));
    }

    [Fact]
    public async Task Restart_AfterAppends_KeepsIndexesAndContinuesAfterThem()
    {
        var directory = LogHarness.NewDirectory();
        await using (var log = await LogHarness.StartAsync(directory))
        {
            for (var i = 0; i < 300; i++)
            {
                await log.AppendAsync($"before {i}");
            }

            log.Integrator.IntegrateOnce();
        }

        await using (var log = await LogHarness.StartAsync(directory))
        {
            Assert.Equal(new SequenceResult(5, true), await log.AppendAsync("before 5"));
            Assert.Equal(new SequenceResult(300, false), await log.AppendAsync("after"));
            Assert.Equal(301, log.Integrator.IntegrateOnce());
            Assert.Equal(Rfc9162.HashLeaf([(byte)LogLeafKind.HubDecision, .. "after"u8]), LogReader.LeafHash(log.Store.ReadEntry(300)!));
        }
    }
}
