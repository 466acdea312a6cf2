using System.Net;
using System.Net.Sockets;

namespace SupplyChain.IntegrationTests.Scenario;

/// <summary>
/// The broker the scenario's agents deliver through, and what the hub needs to serve it. Today: the hub's embedded
/// broker (DESIGN.md §4). An external broker (Mosquitto with the ACL files of firmware-config/, issue #5) is one more
/// factory here that starts it and gives the hub the arguments to consume from it; the scenario itself does not change.
/// </summary>
internal sealed record ScenarioBroker(string Name, string Host, int Port, IReadOnlyList<string> HubArguments)
{
    /// <summary>The hub's embedded MQTTnet broker on a free loopback port.</summary>
    public static ScenarioBroker Embedded()
    {
        var port = FreePort();
        return new ScenarioBroker("embedded", "127.0.0.1", port, ["--Broker:Enabled=true", "--Broker:Address=127.0.0.1", $"--Broker:Port={port}"]);
    }

    /// <summary>A loopback port nobody listens on right now (the probe closes it again, so a race is possible but rare).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
