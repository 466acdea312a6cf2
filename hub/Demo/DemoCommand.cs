using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SupplyChain.Hub.Demo;

/// <summary>
/// <c>demo</c>: the hub on its embedded defaults plus simulated sites running the real agent (<see cref="DemoStory"/>),
/// in a fresh directory under the system's temporary directory, or in <c>--data</c> to resume an earlier demo.
/// </summary>
internal static class DemoCommand
{
    public const double DefaultPaceSeconds = 2;

    public static Command Create()
    {
        var data = new Option<string?>("--data")
        {
            Description = "The demo's directory (hub and stations); an existing one is resumed. Default: a new directory under the system's temporary directory.",
        };
        var urls = new Option<string>("--urls") { Description = "The hub's web address.", DefaultValueFactory = _ => HubHost.DefaultUrl };
        var pace = new Option<double>("--pace")
        {
            Description = "Seconds between two steps of the story (0.1 to 60).",
            DefaultValueFactory = _ => DefaultPaceSeconds,
        };
        var demo = new Command("demo", "Run the hub with simulated sites (real agents, simulated scanners and sensors): a living supply chain to look at.")
        {
            data, urls, pace,
        };
        demo.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var seconds = result.GetValue(pace);
            if (seconds is < 0.1 or > 60 || double.IsNaN(seconds))
            {
                await error.WriteLineAsync("error: --pace must lie between 0.1 and 60 seconds.");
                return 1;
            }

            if (!Uri.TryCreate(result.GetValue(urls), UriKind.Absolute, out var web) || web.Scheme != Uri.UriSchemeHttp)
            {
                await error.WriteLineAsync($"error: --urls must be one http address such as {HubHost.DefaultUrl}.");
                return 1;
            }

            if (PortTaken(web) is { } taken)
            {
                await error.WriteLineAsync(
                    $"error: {web.Host}:{web.Port} is already in use ({taken}). Is a hub or another demo running? Stop it, or pick another port: --urls http://127.0.0.1:{web.Port + 1}");
                return 1;
            }

            var settings = Prepare(result.GetValue(data), web, TimeSpan.FromSeconds(seconds));
            var app = HubHost.Build(HubArguments(settings), builder =>
            {
                builder.Services.AddSingleton(settings);
                builder.Services.AddHostedService<DemoStory>();
            });
            await app.RunAsync(cancellationToken);
            return Environment.ExitCode;
        });
        return demo;
    }

    /// <summary>The hub's configuration for the demo: its data under the demo directory, the broker on a free loopback port, the product's profile.</summary>
    internal static string[] HubArguments(DemoSettings settings) =>
    [
        $"--urls={settings.Web.GetLeftPart(UriPartial.Authority)}",
        $"--{HubOptions.Section}:DataDirectory={settings.HubDirectory}",
        "--Broker:Address=127.0.0.1",
        "--Broker:Port=0",
        // The story narrates; the hub and its stations speak up only for warnings.
        "--Logging:LogLevel:Default=Warning",
        .. DemoSites.ColdChainProfile.Select(p => $"--{p.Key}={p.Value}"),
    ];

    private static DemoSettings Prepare(string? directory, Uri web, TimeSpan pace)
    {
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (directory is null)
        {
            var fresh = Directory.CreateTempSubdirectory("coldtrace-demo-").FullName;
            File.SetUnixFileMode(fresh, owner);
            return new DemoSettings(fresh, Resumed: false, Normalized(web), pace);
        }

        var full = Path.GetFullPath(directory);
        var resumed = File.Exists(Path.Combine(full, "hub", "log.db"));
        Directory.CreateDirectory(full, owner);
        return new DemoSettings(full, resumed, Normalized(web), pace);
    }

    private static Uri Normalized(Uri web) => new(web.GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>Why the address cannot be listened on, or null when it is free (checked before anything starts).</summary>
    private static string? PortTaken(Uri web)
    {
        var address = web.IsLoopback && !IPAddress.TryParse(web.Host, out _) ? IPAddress.Loopback
            : IPAddress.TryParse(web.Host, out var parsed) ? parsed
            : null;
        if (address is null)
        {
            return null;
        }

        try
        {
            using var probe = new TcpListener(address, web.Port);
            probe.Start();
            return null;
        }
        catch (SocketException e)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{e.SocketErrorCode}");
        }
    }
}
