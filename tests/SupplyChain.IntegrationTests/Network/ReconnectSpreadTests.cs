using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupplyChain.Agent;
using SupplyChain.Agent.Identity;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Devices;
using SupplyChain.IntegrationTests.Agent;
using SupplyChain.IntegrationTests.Broker;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Network;

/// <summary>
/// Issue #7 item 3, reconnect storm: 50 stations, each the agent's own <see cref="AgentServices.AddAgent"/> wiring as
/// its own host in this process (50 agent processes are too heavy for two cores) with its real MQTTnet delivery client
/// on the product's default backoff, connected to a real Mosquitto (shipped configuration, the hub's ACL) that is then
/// SIGKILLed and started again. Mosquitto
/// logs every CONNECT it accepts ("New client connected … as ID"); the test stamps each line as it arrives and measures
/// how the 50 reconnects spread over time. What must hold: they are spread by the backoff's jitter, not all at once.
/// </summary>
public sealed class ReconnectSpreadTests(ITestOutputHelper output)
{
    private const int Stations = 50;
    private const string Prefix = "spread-";
    private const string ConnectedText = "New client connected from ";
    private static readonly TimeSpan Bucket = TimeSpan.FromMilliseconds(100);

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task FiftyAgents_MosquittoRestarted_ReconnectAttemptsSpreadOut()
    {
        var restarts = ReliabilityRun.Pick(1, 3);
        var setup = Stopwatch.StartNew();
        var stations = Enumerable.Range(0, Stations).Select(i => Station.Create($"{Prefix}{i:D2}")).ToList();
        try
        {
            await using var broker = await StartMosquittoAsync(stations);
            var configured = setup.Elapsed;
            await Task.WhenAll(stations.Select(s => s.StartAsync(broker.Port)));
            await WaitAllConnectedAsync(broker, since: 0);
            output.WriteLine($"setup: keys, passwords and ACL {configured.TotalSeconds:F1} s, all connected {setup.Elapsed.TotalSeconds:F1} s");

            var figures = new List<string>();
            for (var restart = 0; restart < restarts; restart++)
            {
                var killed = Stopwatch.GetTimestamp();
                await broker.RestartAsync();
                var listening = Stopwatch.GetElapsedTime(killed);
                var reconnects = await WaitAllConnectedAsync(broker, since: killed);

                // Offsets of each station's first CONNECT after the kill, bucketed by 100 ms.
                var offsets = reconnects.Values.Select(t => Stopwatch.GetElapsedTime(killed, t)).Order().ToList();
                var buckets = offsets.GroupBy(o => (int)(o / Bucket)).ToDictionary(g => g.Key, g => g.Count());
                var busiest = buckets.Values.Max();
                var span = offsets[^1] - offsets[0];
                Assert.True(busiest < Stations, $"all {Stations} reconnects fell into one 100 ms bucket: {string.Join(", ", offsets)}");
                figures.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"broker back after {listening.TotalMilliseconds:F0} ms; first reconnect at {offsets[0].TotalMilliseconds:F0} ms, last at {offsets[^1].TotalMilliseconds:F0} ms " +
                    $"(span {span.TotalMilliseconds:F0} ms), {buckets.Count} busy 100 ms buckets, at most {busiest} CONNECTs in one; " +
                    $"per bucket {string.Join(" ", buckets.OrderBy(b => b.Key).Select(b => $"{b.Key * 100}:{b.Value}"))}"));
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            var sample = broker.LogLines.Select(l => l.Line).Last(l => l.Contains(ConnectedText, StringComparison.Ordinal) && l.Contains(Prefix, StringComparison.Ordinal));
            var figure = $"{Stations} agents (default backoff: 1 s initial, equal jitter), {restarts} Mosquitto SIGKILL+start: {string.Join("; ", figures)}. CONNECT as logged: \"{sample}\"";
            output.WriteLine(figure);
            ReliabilityRun.Record("50 agents reconnecting after a broker restart", figure);
        }
        finally
        {
            await Task.WhenAll(stations.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// Mosquitto from the shipped configuration with the stations as users (one <c>mosquitto_passwd -U</c> over the
    /// plain file) and the ACL the hub's <c>devices export-mosquitto</c> writes, rendered from device records directly:
    /// the stations only connect, subscribe and report status, so no hub is needed, and enrolling 50 devices (a
    /// PBKDF2 hash each) cost over a minute on the loaded test machine.
    /// </summary>
    private static async Task<Mosquitto> StartMosquittoAsync(IReadOnlyList<Station> stations)
    {
        var directory = Mosquitto.NewDirectory();
        var passwords = Path.Combine(directory, "passwords");
        await File.WriteAllLinesAsync(passwords, stations.Select(s => $"{s.Id}:{AgentProcess.Password}"));
        var hashing = new ProcessStartInfo(Mosquitto.PasswdTool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        hashing.ArgumentList.Add("-U");
        hashing.ArgumentList.Add(passwords);
        using (var process = Process.Start(hashing)!)
        {
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"mosquitto_passwd -U failed: {error}");
        }

        Assert.True(Gln.TryParse(AgentProcess.Site, out var site, out _));
        var records = stations.Select(s => new DeviceRecord(s.Device, s.PublicKey, site, DeviceRole.Manufacturer, "-", DateTimeOffset.UnixEpoch, 0));
        await File.WriteAllTextAsync(Path.Combine(directory, "acl"), MosquittoAcl.Render(records, EmbeddedBroker.HubClientId));
        return await Mosquitto.StartAsync(directory);
    }

    /// <summary>Waits until every station's CONNECT after <paramref name="since"/> is in Mosquitto's log; returns the first one's stamp per station.</summary>
    private static async Task<Dictionary<string, long>> WaitAllConnectedAsync(Mosquitto broker, long since)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var first = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (stamp, line) in broker.LogLines)
            {
                if (stamp > since && ConnectedId(line) is { } id && id.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    first.TryAdd(id, stamp);
                }
            }

            if (first.Count == Stations)
            {
                return first;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"{first.Count} of {Stations} stations connected:\n{broker.Log}");
            await Task.Delay(50);
        }
    }

    // "New client connected from 127.0.0.1:41234 as spread-07 (p5, c0, k10, u'spread-07')."
    private static string? ConnectedId(string line)
    {
        if (!line.StartsWith(ConnectedText, StringComparison.Ordinal))
        {
            return null;
        }

        var start = line.IndexOf(" as ", StringComparison.Ordinal);
        var end = line.IndexOf(" (", StringComparison.Ordinal);
        return start < 0 || end < start ? null : line[(start + 4)..end];
    }

    /// <summary>One station: the agent's wiring as a host of its own on its own data directory and key.</summary>
    private sealed class Station : IAsyncDisposable
    {
        private IHost? _host;

        private Station(string id, string directory, byte[] publicKey)
        {
            Id = id;
            Directory = directory;
            PublicKey = publicKey;
            Assert.True(DeviceId.TryParse(id, out var device, out _));
            Device = device;
        }

        public string Id { get; }

        public string Directory { get; }

        public DeviceId Device { get; }

        public byte[] PublicKey { get; }

        public static Station Create(string id)
        {
            var directory = System.IO.Directory.CreateTempSubdirectory("coldtrace-station-").FullName;
            using var identity = DeviceIdentity.LoadOrCreate(directory, id);
            return new Station(id, directory, Convert.FromBase64String(identity.PublicKeyBase64));
        }

        public async Task StartAsync(int brokerPort)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                DisableDefaults = true,
                ApplicationName = "coldtrace-agent",
                ContentRootPath = Directory,
                EnvironmentName = Environments.Production,
            });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Station:Role"] = "commissioning",
                ["Station:SiteGln"] = AgentProcess.Site,
                ["Station:DeviceId"] = Id,
                ["Station:DataDirectory"] = Directory,
                ["Scanner:Type"] = "none",
                ["Delivery:Host"] = "127.0.0.1",
                ["Delivery:Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
                ["Delivery:Password"] = AgentProcess.Password,
                ["Status:Port"] = "0",
            });
            builder.Logging.ClearProviders();
            builder.AddAgent();
            // Fifty hosts in one test process: none may react to a signal on its own.
            builder.Services.AddSingleton<IHostLifetime, NoLifetime>();
            var host = builder.Build();
            await host.StartAsync();
            _host = host;
        }

        public async ValueTask DisposeAsync()
        {
            if (_host is { } host)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await host.StopAsync(timeout.Token);
                host.Dispose();
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private sealed class NoLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
