using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using System.Text;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests;

/// <summary>The real hub (Kestrel on a loopback port chosen by the OS, LiteDB in a temporary directory).</summary>
internal sealed class RunningHub : IAsyncDisposable
{
    private RunningHub(WebApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    /// <summary>The embedded broker's port (chosen free at start).</summary>
    public int BrokerPort => Service<Hub.Broker.EmbeddedBroker>().Port;

    /// <summary>Starts a hub; <paramref name="settings"/> (<c>--Section:Key=value</c>) add to or override the defaults.</summary>
    public static Task<RunningHub> StartAsync(string? dataDirectory = null, params string[] settings) => StartWithAsync(null, dataDirectory, settings);

    /// <summary>Starts a hub with <paramref name="configure"/> applied to its builder (e.g. a logger provider to capture its log).</summary>
    public static async Task<RunningHub> StartWithAsync(Action<WebApplicationBuilder>? configure, string? dataDirectory, params string[] settings)
    {
        var directory = dataDirectory ?? Directory.CreateTempSubdirectory("coldtrace-hub-").FullName;
        var app = HubHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--Hub:DataDirectory={directory}",
            "--Log:CheckpointPeriod=00:00:00.050",
            "--Logging:LogLevel:Default=Warning",
            "--Broker:Port=0",
            .. settings,
        ], configure);
        await app.StartAsync();
        return new RunningHub(app, directory);
    }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Appends hub-decision leaves and waits until a checkpoint covers them.</summary>
    public async Task<long> AppendAndIntegrateAsync(IEnumerable<string> bodies)
    {
        var sequencer = Service<LogSequencer>();
        long last = -1;
        foreach (var body in bodies)
        {
            last = (await sequencer.AppendAsync(LogLeafKind.HubDecision, Encoding.UTF8.GetBytes(body), CancellationToken.None)).Index;
        }

        var head = Service<LogHead>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((head.Current?.Size ?? 0) <= last)
        {
            await Task.Delay(20, timeout.Token);
        }

        return head.Current!.Size;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
