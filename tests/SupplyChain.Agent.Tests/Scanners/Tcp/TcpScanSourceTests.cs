using System.Net.Sockets;
using SupplyChain.Agent.Scanners;
using SupplyChain.Agent.Scanners.Tcp;

namespace SupplyChain.Agent.Tests.Scanners.Tcp;

public sealed class TcpScanSourceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadScansAsync_ClientsOneAfterAnother_YieldsEveryLine()
    {
        Assert.True(Fnc1Substitute.TryCreate('^', out var caret, out _));
        using var source = TcpScanSource.Listen(0, caret);
        using var cts = new CancellationTokenSource(Timeout);
        await using var scans = source.ReadScansAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(source.LocalEndPoint.Address.Equals(System.Net.IPAddress.Loopback));
        await SendAsync(source, "0109501101530008\r\n10AB^21C\n");
        Assert.True(await scans.MoveNextAsync());
        Assert.Equal("0109501101530008", scans.Current);
        Assert.True(await scans.MoveNextAsync());
        Assert.Equal("10AB\u001D21C", scans.Current);

        await SendAsync(source, "second client\n");
        Assert.True(await scans.MoveNextAsync());
        Assert.Equal("second client", scans.Current);
    }

    [Fact]
    public async Task ReadScansAsync_Cancelled_EndsWithoutThrowing()
    {
        using var source = TcpScanSource.Listen(0, Fnc1Substitute.None);
        using var cts = new CancellationTokenSource();
        await using var scans = source.ReadScansAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var next = scans.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        Assert.False(await next.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ReadScansAsync_ClientResetsConnection_KeepsServing()
    {
        using var source = TcpScanSource.Listen(0, Fnc1Substitute.None);
        using var cts = new CancellationTokenSource(Timeout);
        await using var scans = source.ReadScansAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        using (var rude = new TcpClient())
        {
            await rude.ConnectAsync(source.LocalEndPoint, cts.Token);
            await rude.GetStream().WriteAsync("half a sc"u8.ToArray(), cts.Token);
            rude.Client.LingerState = new LingerOption(true, 0); // close with RST
        }

        await SendAsync(source, "after reset\n");
        Assert.True(await scans.MoveNextAsync());
        Assert.Equal("after reset", scans.Current);
    }

    private static async Task SendAsync(TcpScanSource source, string text)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(source.LocalEndPoint);
        await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(text));
    }
}
