using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Signing;
using SupplyChain.Hub.Devices;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// The real agent (a child process reading scans over TCP) delivering to the real hub through its embedded broker while
/// the hub is stopped and started under it (DESIGN.md §4–5): every scan ends up in the log once, in seq order.
/// </summary>
public sealed class AgentDeliveryTests
{
    private const string DeviceId = "commission-1";
    private const string Site = "9506000134383";
    private const string Password = "integration-pa55word";
    private const string Gtin = "09506000134352";
    private const int Packs = 200;

    [Fact]
    public async Task Agent_HubRestartedTwiceWhileScanning_LogHoldsEveryCommissioningOnceInSeqOrder()
    {
        var agentDirectory = Directory.CreateTempSubdirectory("coldtrace-agent-").FullName;
        await using var hub = await HubProcess.StartAsync();
        Process? agent = null;
        var output = new ConcurrentQueue<string>();
        try
        {
            await EnrolAsync(hub, agentDirectory);
            var scannerPort = FreePort();
            agent = StartAgent(agentDirectory, scannerPort, hub.BrokerPort, output);

            var serials = Enumerable.Range(0, Packs).Select(i => $"IT{i:D5}").ToList();
            using (var scanner = await ConnectAsync(scannerPort, agent, output))
            {
                var stream = scanner.GetStream();
                var logged = 0;
                for (var i = 0; i < Packs; i++)
                {
                    if (i is Packs / 3 or 2 * Packs / 3)
                    {
                        // This hub instance must have taken events from the agent, so each stop cuts a live session.
                        var before = logged;
                        await Eventually(() => (logged = hub.DeviceEventLeaves().Count) > before, agent, output);
                        await hub.StopAsync();
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(Scan(serials[i]) + "\n"));
                        await Task.Delay(300);
                        await hub.RestartAsync();
                        continue;
                    }

                    await stream.WriteAsync(Encoding.ASCII.GetBytes(Scan(serials[i]) + "\n"));
                    if (i % 10 == 0)
                    {
                        await Task.Delay(20);
                    }
                }
            }

            var outbox = Path.Combine(agentDirectory, EventOutbox.FileName);
            await Eventually(() => TryReadStatus(outbox) is { PendingCustody: 0, NextSeq: Packs }, agent, output);
            var status = TryReadStatus(outbox)!;
            Assert.Equal(0, status.Rejected);
            Assert.Equal(Packs - 1, status.LastAckSeq);

            var events = hub.DeviceEventLeaves().Select(Decode).ToList();
            Assert.Equal(Enumerable.Range(0, Packs).Select(i => (long)i), events.Select(e => e.Device.Seq));
            Assert.All(events, e => Assert.Equal(CustodyEventKind.Commissioning, e.Kind));
            Assert.All(events, e => Assert.Equal(DeviceId, e.Device.DeviceId));
            Assert.Equal(serials.Select(s => $"https://id.gs1.org/01/{Gtin}/21/{s}"), events.Select(e => Assert.Single(e.Epcs)));
        }
        finally
        {
            if (agent is not null)
            {
                agent.Kill(entireProcessTree: true);
                await agent.WaitForExitAsync();
                agent.Dispose();
            }

            Directory.Delete(agentDirectory, recursive: true);
        }
    }

    /// <summary>A GS1 element string as a scanner sends it: GTIN, serial, FNC1 (GS), lot, FNC1, expiry (GenSpecs §7.8.5).</summary>
    private static string Scan(string serial) => $"01{Gtin}21{serial}\u001d10LOT42\u001d17{Expiry}";

    private static string Expiry => "301231";

    private static async Task EnrolAsync(HubProcess hub, string agentDirectory)
    {
        Assert.True(Gs1CheckDigit.IsValid(Gtin));
        Assert.True(Gs1CheckDigit.IsValid(Site));
        using var identity = DeviceIdentity.LoadOrCreate(agentDirectory, DeviceId);
        var enrolled = await hub.Service<DeviceEnrolment>().EnrollAsync(
            new EnrolRequest(DeviceId, identity.PublicKeyBase64, Site, "manufacturer", Password, "integration-test"), CancellationToken.None);
        Assert.True(enrolled.IsSuccess, enrolled.Error);
    }

    private static Process StartAgent(string directory, int scannerPort, int brokerPort, ConcurrentQueue<string> output)
    {
        var agent = ChildProcess.StartDotnet(
            ChildProcess.ProjectDll("agent", "coldtrace-agent"),
            "--Station:Role=commissioning",
            $"--Station:SiteGln={Site}",
            $"--Station:DeviceId={DeviceId}",
            $"--Station:DataDirectory={directory}",
            "--Scanner:Type=tcp",
            $"--Scanner:TcpPort={scannerPort}",
            "--Status:Port=0",
            "--Delivery:Host=127.0.0.1",
            $"--Delivery:Port={brokerPort}",
            $"--Delivery:Password={Password}",
            "--Delivery:BackoffInitial=00:00:00.100",
            "--Delivery:BackoffMax=00:00:00.500",
            "--Delivery:AckTimeout=00:00:05",
            "--Logging:LogLevel:Default=Warning");
        agent.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        agent.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        return agent;
    }

    private static async Task<TcpClient> ConnectAsync(int port, Process agent, ConcurrentQueue<string> output)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port, timeout.Token);
                return client;
            }
            catch (SocketException)
            {
                client.Dispose();
                Assert.False(agent.HasExited, "agent exited: " + string.Join('\n', output));
                await Task.Delay(100, timeout.Token);
            }
        }
    }

    private static async Task Eventually(Func<bool> condition, Process agent, ConcurrentQueue<string> output)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(agent.HasExited, "agent exited: " + string.Join('\n', output));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(45), "not delivered in time; agent said: " + string.Join('\n', output));
            await Task.Delay(100);
        }
    }

    // A read-only open can catch the agent's LiteDB log file mid-write ("ReadFull must read PAGE_SIZE bytes"); that
    // read is retried, it says nothing about delivery.
    private static OutboxStatus? TryReadStatus(string path)
    {
        try
        {
            return EventOutbox.ReadStatus(path);
        }
        catch (LiteDB.LiteException)
        {
            return null;
        }
    }

    private static CustodyEvent Decode(byte[] leafBody)
    {
        Assert.True(EnvelopeCodec.TryDecode(leafBody, out var envelope, out var envelopeError), envelopeError.ToString());
        Assert.True(EventCodec.TryDecode(envelope!.Payload.Span, out var custody, out var eventError), eventError.ToString());
        return custody!;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
