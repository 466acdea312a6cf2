using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub;

/// <summary>
/// Tells the person who started the hub where to find it: the web address, the MQTT broker devices connect to, and the
/// key that verifies its checkpoints (and its signed recall lists).
/// </summary>
internal sealed class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServer server,
    HubSigningKey key,
    IOptions<BrokerOptions> broker,
    EmbeddedBroker embedded) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
            {
                Console.WriteLine($"ColdTrace hub listening on {address}");
            }

            Console.WriteLine(BrokerLine(broker.Value, embedded.Port));
            Console.WriteLine($"Log verifier key: {key.VerifierKey}");
        });
        return Task.CompletedTask;
    }

    internal static string BrokerLine(BrokerOptions options, int embeddedPort) => options switch
    {
        { IsEmbedded: true } => $"MQTT broker (embedded) listening on mqtt://{options.Address}:{embeddedPort}",
        { IsExternal: true } => $"MQTT broker (external) at {(options.External.UseTls ? "mqtts" : "mqtt")}://{options.External.Host}:{options.External.Port}",
        _ => "MQTT broker disabled (Broker:Enabled=false): no device can connect",
    };
}
