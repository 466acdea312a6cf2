using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace SupplyChain.Agent.Scanners.Tcp;

/// <summary>
/// Scans sent over TCP on the loopback interface, one per line (<c>printf '0109…\n' | nc 127.0.0.1 5555</c>): for
/// development and integration tests. Clients are served one after another; a client closing its connection does not
/// end the source. Only loopback is bound, so nothing off the machine can inject scans.
/// </summary>
internal sealed class TcpScanSource : IScanSource, IDisposable
{
    private readonly TcpListener _listener;
    private readonly Fnc1Substitute _substitute;

    private TcpScanSource(TcpListener listener, Fnc1Substitute substitute)
    {
        _listener = listener;
        _substitute = substitute;
    }

    /// <summary>The bound address; with port 0 this tells which port the system chose.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/> (0 picks a free port).</summary>
    public static TcpScanSource Listen(int port, Fnc1Substitute substitute)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new TcpScanSource(listener, substitute);
    }

    public async IAsyncEnumerable<string> ReadScansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await AcceptOrCancelledAsync(cancellationToken).ConfigureAwait(false) is { } client)
        {
            using (client)
            {
                var stream = client.GetStream();
                await using (stream.ConfigureAwait(false))
                {
                    await foreach (var scan in ReadOrEndAsync(stream, cancellationToken).ConfigureAwait(false))
                    {
                        yield return scan;
                    }
                }
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    private async ValueTask<TcpClient?> AcceptOrCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    // A client that resets its connection ends that client, not the source.
    private async IAsyncEnumerable<string> ReadOrEndAsync(NetworkStream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var scans = StreamScanReader.ReadScansAsync(stream, _substitute, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await scans.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (IOException)
            {
                yield break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            yield return scans.Current;
        }
    }
}
