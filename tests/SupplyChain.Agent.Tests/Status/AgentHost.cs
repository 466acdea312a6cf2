using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace SupplyChain.Agent.Tests.Status;

/// <summary>The agent's real host (<see cref="AgentServices.AddAgent"/>) with settings given as configuration keys.</summary>
internal static class AgentHost
{
    public static IHost Build(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAgent();
        return builder.Build();
    }

    /// <summary>The same settings as command-line arguments, the way <c>coldtrace-agent status</c> receives them.</summary>
    public static string[] Arguments(IReadOnlyDictionary<string, string?> settings) =>
        [.. settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}")];

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
