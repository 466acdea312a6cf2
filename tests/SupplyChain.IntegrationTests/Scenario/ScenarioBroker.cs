using System.Net;
using System.Net.Sockets;
using SupplyChain.Hub.Broker;
using SupplyChain.IntegrationTests.Broker;

namespace SupplyChain.IntegrationTests.Scenario;

/// <summary>
/// The broker the scenario's agents deliver through, and what the hub needs to serve it: the hub's embedded broker
/// (DESIGN.md §4), or an external Mosquitto set up the way firmware-config/mosquitto/README.md says (passwords with
/// <c>mosquitto_passwd</c>, the ACL written by <c>coldtrace-hub devices export-mosquitto</c>). The scenario itself does
/// not change between the two.
/// </summary>
internal abstract class ScenarioBroker : IAsyncDisposable
{
    public abstract string Name { get; }

    public virtual string Host => "127.0.0.1";

    /// <summary>The port agents connect to (known after <see cref="PrepareAsync"/>).</summary>
    public abstract int Port { get; }

    /// <summary>What the hub is started with to serve or consume from this broker.</summary>
    public abstract IReadOnlyList<string> HubArguments { get; }

    /// <summary>The hub's embedded MQTTnet broker on a free loopback port.</summary>
    public static ScenarioBroker Embedded() => new EmbeddedScenarioBroker(FreePort());

    /// <summary>A Mosquitto process with the shipped configuration, started once the devices are enrolled.</summary>
    public static ScenarioBroker Mosquitto() => new MosquittoScenarioBroker();

    /// <summary>Runs after the stations are enrolled (the hub stopped) and before the hub starts.</summary>
    /// <param name="hubDataDirectory">The hub's data directory with the device registry.</param>
    /// <param name="stations">Each station's device id and broker password.</param>
    /// <param name="postgres">The hub's PostgreSQL connection string when its devices are there, else null.</param>
    public abstract Task PrepareAsync(string hubDataDirectory, IReadOnlyList<(string Id, string Password)> stations, string? postgres = null);

    public abstract ValueTask DisposeAsync();

    /// <summary>A loopback port nobody listens on right now (the probe closes it again, so a race is possible but rare).</summary>
    // Handed out in turn below Linux's ephemeral range (32768-60999). A port the kernel picked from that range can be
    // taken by any outgoing connection before the child process binds it: a scenario station once lost its status
    // port so, and the test read another station's status for 4 minutes. Never the same port twice in one test run.
    private static int _nextPort = 20000 + (Environment.ProcessId % 1000) * 12;

    /// <summary>A loopback port that is free now, for a child process to listen on.</summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = Interlocked.Increment(ref _nextPort);
            if (port > 32767)
            {
                Interlocked.CompareExchange(ref _nextPort, 20000, port);
                continue;
            }

            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                probe.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try the next one.
            }
        }
    }

    private sealed class EmbeddedScenarioBroker(int port) : ScenarioBroker
    {
        public override string Name => "embedded";

        public override int Port => port;

        public override IReadOnlyList<string> HubArguments => ["--Broker:Enabled=true", "--Broker:Address=127.0.0.1", $"--Broker:Port={port}"];

        public override Task PrepareAsync(string hubDataDirectory, IReadOnlyList<(string Id, string Password)> stations, string? postgres = null) => Task.CompletedTask;

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class MosquittoScenarioBroker : ScenarioBroker
    {
        private const string HubPassword = "scenario-hub-pa55word";
        private Broker.Mosquitto? _mosquitto;

        public override string Name => "mosquitto";

        public override int Port => _mosquitto?.Port ?? throw new InvalidOperationException("Mosquitto is not started yet.");

        public override IReadOnlyList<string> HubArguments =>
        [
            "--Broker:Mode=External",
            $"--Broker:External:Host={Host}",
            $"--Broker:External:Port={Port}",
            $"--Broker:External:Password={HubPassword}",
            "--Broker:External:BackoffInitial=00:00:00.100",
            "--Broker:External:BackoffMax=00:00:01",
        ];

        public override async Task PrepareAsync(string hubDataDirectory, IReadOnlyList<(string Id, string Password)> stations, string? postgres = null)
        {
            var directory = Broker.Mosquitto.NewDirectory();
            await Broker.Mosquitto.AddUserAsync(directory, EmbeddedBroker.HubClientId, HubPassword);
            foreach (var (id, password) in stations)
            {
                await Broker.Mosquitto.AddUserAsync(directory, id, password);
            }

            string[] export =
            [
                "devices", "export-mosquitto", "--data", hubDataDirectory,
                "--acl", Path.Combine(directory, "acl"), "--passwords", Path.Combine(directory, "passwords"),
            ];
            var exported = await ExternalHub.CommandAsync(postgres is null ? export : [.. export, "--postgres", postgres]);
            Assert.True(exported.Exit == 0, exported.Error);
            _mosquitto = await Broker.Mosquitto.StartAsync(directory);
        }

        public override async ValueTask DisposeAsync()
        {
            if (_mosquitto is not null)
            {
                await _mosquitto.DisposeAsync();
            }
        }
    }
}
