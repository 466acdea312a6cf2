using System.IO.Pipelines;
using SupplyChain.Agent.Scanners;

namespace SupplyChain.Agent.Tests.Scanners;

public sealed class StreamScanReaderTests
{
    [Fact]
    public async Task ReadScansAsync_StreamEnds_YieldsTerminatedScansAndDropsTheTail()
    {
        using var stream = new MemoryStream("0109501101530008\r\n21ABC\npartial"u8.ToArray());

        var scans = await ToListAsync(StreamScanReader.ReadScansAsync(stream, Fnc1Substitute.None, CancellationToken.None));

        Assert.Equal(["0109501101530008", "21ABC"], scans);
    }

    [Fact]
    public async Task ReadScansAsync_ScanArrivesInPieces_YieldsItWhenTheTerminatorArrives()
    {
        var pipe = new Pipe();
        await using var reader = pipe.Reader.AsStream();
        await using var scans = StreamScanReader.ReadScansAsync(reader, Fnc1Substitute.None, CancellationToken.None).GetAsyncEnumerator();

        var next = scans.MoveNextAsync().AsTask();
        await pipe.Writer.WriteAsync("01095"u8.ToArray());
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        await pipe.Writer.WriteAsync("01\r"u8.ToArray());

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("0109501", scans.Current);
        await pipe.Writer.CompleteAsync();
        Assert.False(await scans.MoveNextAsync());
    }

    private static async Task<List<string>> ToListAsync(IAsyncEnumerable<string> source)
    {
        var list = new List<string>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
