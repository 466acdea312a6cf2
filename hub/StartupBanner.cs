using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub;

/// <summary>Tells the person who started the hub where to find it, and the key that verifies its checkpoints.</summary>
internal sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, HubSigningKey key) : BackgroundService
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

            Console.WriteLine($"Log verifier key: {key.VerifierKey}");
        });
        return Task.CompletedTask;
    }
}
