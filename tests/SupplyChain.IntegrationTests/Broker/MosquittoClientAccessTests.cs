using System.Diagnostics;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;
using SupplyChain.IntegrationTests.Agent;
using Login = SupplyChain.IntegrationTests.Broker.MosquittoClients.Login;

namespace SupplyChain.IntegrationTests.Broker;

/// <summary>
/// Broker access with Debian's own clients (<c>mosquitto_pub</c>/<c>mosquitto_sub</c>, issue #7 item 9) against the hub's
/// embedded MQTTnet broker and against a real Mosquitto set up from firmware-config/mosquitto with the hub's export:
/// anonymous and wrong-password CONNECTs refused, device A unable to log in as B, to publish on B's topics or outside
/// the topic scheme (PUBACK refused, the log unchanged, B hears nothing), or to read B's acks through <c>#</c> or B's
/// own topic. Each row gives each broker's reason code; the controls (A's own publish, B reading its own ack) show
/// the clients and the setup work, so a refusal is the broker's doing.
/// </summary>
public sealed class MosquittoClientAccessTests
{
    private const string Site = "9506000134383";

    /// <summary>The publish and connect rows: who, where, and the reason code each broker must answer.</summary>
    private static readonly Row[] Rows =
    [
        new("anonymous CONNECT", d => new(null, null, "anon-1"), d => Topic(d.A, "events"), Packet.Connack, Embedded: 135, Mosquitto: 135),
        new("A with a wrong password", d => new(d.A.Id, "wrong-password-123", d.A.Id), d => Topic(d.A, "events"), Packet.Connack, Embedded: 134, Mosquitto: 135),
        new("A's password as B", d => new(d.B.Id, d.A.Password, d.B.Id), d => Topic(d.B, "events"), Packet.Connack, Embedded: 134, Mosquitto: 135),
        new("A publishes a signed event claiming B on B's events topic", d => d.LoginA, d => Topic(d.B, "events"), Packet.Puback, Embedded: 135, Mosquitto: 135),
        new("A publishes on B's verify topic", d => d.LoginA, d => Topic(d.B, "verify"), Packet.Puback, Embedded: 135, Mosquitto: 135),
        new("A publishes on B's status topic", d => d.LoginA, d => Topic(d.B, "status"), Packet.Puback, Embedded: 135, Mosquitto: 135),
        new("A publishes on B's acks topic (a forged ack)", d => d.LoginA, d => Topic(d.B, "acks"), Packet.Puback, Embedded: 135, Mosquitto: 135),
        new("A publishes the checkpoint topic", d => d.LoginA, _ => ColdTraceTopic.CheckpointTopic, Packet.Puback, Embedded: 135, Mosquitto: 135),
        new("A publishes outside the scheme (own device, unknown kind)", d => d.LoginA, d => Topic(d.A, "commands"), Packet.Puback, Embedded: 135, Mosquitto: 135),
        new("A publishes outside the scheme (another prefix)", d => d.LoginA, _ => "factory/line-1/events", Packet.Puback, Embedded: 135, Mosquitto: 135),
        new("control: A publishes its own event on its own topic", d => d.LoginA, d => Topic(d.A, "events"), Packet.Puback, Embedded: 0, Mosquitto: 0),
    ];

    /// <summary>
    /// The subscribe rows, all in one SUBSCRIBE of one <c>mosquitto_sub</c> (the embedded broker takes a device's session
    /// over when the same client id connects again, so A has one connection at a time): SUBACK per broker (MQTT 5
    /// §3.9.3: 135 refused, 1 granted QoS 1). Mosquitto's <c>acl_file</c> grants any filter and checks read access per
    /// delivered message (mosquitto.conf(5) "acl_file"), so there the refusal is that nothing of B's is delivered, which
    /// is asserted for both brokers. The checkpoint row is the control that keeps A subscribed on the embedded broker.
    /// </summary>
    private static readonly (string Case, Func<Pair, string> Filter, int Embedded, int Mosquitto)[] Subscriptions =
    [
        ("control: A subscribes to the checkpoint", _ => ColdTraceTopic.CheckpointTopic, 1, 1),
        ("A subscribes to #", _ => "#", 135, 1),
        ("A subscribes to coldtrace/v1/devices/+/acks", _ => ColdTraceTopic.Prefix + "devices/+/acks", 135, 1),
        ("A subscribes to B's acks", d => Topic(d.B, "acks"), 135, 1),
    ];

    public enum Broker
    {
        Embedded,
        Mosquitto,
    }

    private enum Packet
    {
        Connack,
        Puback,
    }

    [Theory]
    [Trait("Category", "Reliability")]
    [InlineData(Broker.Embedded)]
    [InlineData(Broker.Mosquitto)]
    public async Task MosquittoClients_DeviceAOutsideItsRights_RefusedWithTheTablesReasonCodeAndNothingChanges(Broker broker)
    {
        var clock = Stopwatch.StartNew();
        await using var a = new BrokerDevice("pharmacy-a", Site);
        await using var b = new BrokerDevice("pharmacy-b", Site);
        await using var target = await Target.StartAsync(broker, a, b);
        var devices = new Pair(a, b);
        // The refused publishes carry events from another chain (its own key, claiming B): the broker refuses them
        // before anyone reads them, and A's own chain stays whole for the control row.
        await using var forger = new BrokerDevice(a.Id, Site);
        var payload = Path.Combine(target.DataDirectory, "event-message.json");
        var failures = new List<string>();

        foreach (var row in Rows)
        {
            var sizeBefore = target.LogSize();
            var isControl = row.Case.StartsWith("control", StringComparison.Ordinal);
            var envelope = isControl ? a.Next() : forger.Next(claimedDevice: b.Id);
            await File.WriteAllBytesAsync(payload, EventMessage.Encode(envelope));
            var output = await MosquittoClients.PublishAsync(target.Port, row.Login(devices), row.Topic(devices), payload);
            var got = row.Packet == Packet.Connack ? MosquittoClients.Connack(output) : MosquittoClients.Puback(output);
            var expected = broker == Broker.Embedded ? row.Embedded : row.Mosquitto;
            if (got != expected)
            {
                failures.Add($"{row.Case}: {row.Packet} {got?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, the table says {expected}:\n{output}");
            }

            if (isControl)
            {
                await target.LogSizeAboveAsync(sizeBefore);
            }
            else if (target.LogSize() != sizeBefore || target.Logged(envelope))
            {
                failures.Add($"{row.Case}: the log changed ({sizeBefore} → {target.LogSize()})");
            }
        }

        // A tries to read B's acks through '#', '+' and B's own topic; then B sends a genuine event (control): B hears
        // its ack, A's subscription delivers nothing of B's.
        await using var spy = new MosquittoClients.Subscriber(target.Port, devices.LoginA, Subscriptions.Select(row => row.Filter(devices)));
        var subacks = MosquittoClients.Suback(await spy.AnsweredAsync());
        int[] expectedSubacks = [.. Subscriptions.Select(row => broker == Broker.Embedded ? row.Embedded : row.Mosquitto)];
        if (!subacks.SequenceEqual(expectedSubacks))
        {
            failures.Add($"{string.Join(" / ", Subscriptions.Select(row => row.Case))}: SUBACK {string.Join(", ", subacks)}, the table says {string.Join(", ", expectedSubacks)}:\n{spy.Output}");
        }

        var own = await MosquittoClients.RequestAsync(
            target.Port, devices.LoginB, Topic(b, "events"), Topic(b, "acks"), System.Text.Encoding.UTF8.GetString(EventMessage.Encode(b.Next())));
        Assert.True(MosquittoClients.Puback(own) is 0 && MosquittoClients.Delivered(own).Contains(Topic(b, "acks")), $"B's own event and ack:\n{own}");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var leaked = MosquittoClients.Delivered(spy.Output).Where(topic => topic.Contains($"/devices/{b.Id}/", StringComparison.Ordinal)).ToList();
        if (leaked.Count > 0)
        {
            failures.Add($"B's messages delivered to A on {string.Join(", ", leaked)}");
        }

        Assert.True(spy.IsConnected, $"A's subscriber was not connected all along, so it proves nothing:\n{spy.Output}");
        ReliabilityRun.Record($"mosquitto_pub/mosquitto_sub access rows, {broker} broker", $"{Rows.Length + Subscriptions.Length} rows, all as the table says: {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private static string Topic(BrokerDevice device, string kind) => $"{ColdTraceTopic.Prefix}devices/{device.Id}/{kind}";

    private sealed record Row(string Case, Func<Pair, Login> Login, Func<Pair, string> Topic, Packet Packet, int Embedded, int Mosquitto);

    private sealed record Pair(BrokerDevice A, BrokerDevice B)
    {
        public Login LoginA => new(A.Id, A.Password, A.Id);

        public Login LoginB => new(B.Id, B.Password, B.Id);
    }

    /// <summary>The broker under test with the real hub behind it, A and B enrolled with their passwords.</summary>
    private sealed class Target : IAsyncDisposable
    {
        private readonly HubProcess? _embedded;
        private readonly ExternalHub? _external;

        private Target(HubProcess? embedded, ExternalHub? external)
        {
            _embedded = embedded;
            _external = external;
        }

        public int Port => _embedded?.BrokerPort ?? _external!.Broker.Port;

        public string DataDirectory => _embedded?.DataDirectory ?? _external!.DataDirectory;

        public static async Task<Target> StartAsync(Broker broker, params BrokerDevice[] devices)
        {
            if (broker == Broker.Mosquitto)
            {
                return new Target(null, await ExternalHub.StartAsync(devices));
            }

            var hub = await HubProcess.StartAsync();
            foreach (var device in devices)
            {
                var enrolled = await hub.Service<DeviceEnrolment>().EnrollAsync(
                    new EnrolRequest(device.Id, device.PublicKeyBase64, device.Site, "pharmacy", device.Password, "test"), CancellationToken.None);
                Assert.True(enrolled.IsSuccess, enrolled.Error);
            }

            return new Target(hub, null);
        }

        public long LogSize() => Service<ILogStore>().ReadState().SequencedSize;

        public bool Logged(SupplyChain.Contracts.Signing.Envelope envelope) => Service<LogReader>().IndexOfDeviceEvent(envelope) is not null;

        public async Task LogSizeAboveAsync(long size)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (LogSize() <= size)
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        public ValueTask DisposeAsync() => _embedded?.DisposeAsync() ?? _external!.DisposeAsync();

        private T Service<T>() where T : notnull => _embedded is not null ? _embedded.Service<T>() : _external!.Service<T>();
    }
}
