using System.Globalization;

namespace SupplyChain.Benchmarks.Load;

/// <summary>What <c>coldtrace-bench load</c> was asked to do; <see cref="TryParse"/> names the option it could not read.</summary>
internal sealed record LoadSettings
{
    public const string Usage =
        "usage: coldtrace-bench load [--devices 100] [--rate 2000|max] [--duration 60] [--warmup 10] [--window 16] [--envelopes 1] [--presign 200000]\n" +
        "         [--hub-setting Key=Value]... [--mosquitto] [--hubs 2] [--hub-dll path] [--data dir] [--limits-seconds 3] [--json file] [--write-docs label] [--docs file]\n" +
        "       against a running hub: --broker host:port --api http://host:port --token <admin token> --verifier-key <key> [--hub-pid pid]";

    /// <summary>Simulated devices, each with its own key, chain and MQTT connection.</summary>
    public int Devices { get; init; } = 100;

    /// <summary>Offered events per second over all devices; null = flat out (each device keeps <see cref="Window"/> events unacknowledged).</summary>
    public double? Rate { get; init; } = 2000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Flat out only: most events a device has sent and not yet seen acknowledged.</summary>
    public int Window { get; init; } = 16;

    /// <summary>
    /// Most events one message carries (PROTOCOL.md §5: 1–128). 1 sends every event on its own; more joins the events a
    /// device has ready (flat out: as many as its window has room for; at a rate: those already due), as the agent's
    /// delivery does with <c>Delivery:MaxEnvelopesPerMessage</c> (64).
    /// </summary>
    public int Envelopes { get; init; } = 1;

    /// <summary>Flat out only: events signed before the run over all devices; the run ends early if they run out.</summary>
    public int Presign { get; init; } = 200_000;

    /// <summary>Start a Mosquitto with the shipped configuration and run the hubs in external-broker mode against it.</summary>
    public bool Mosquitto { get; init; }

    /// <summary>Hub instances this run starts (more than one: PostgreSQL and <see cref="Mosquitto"/>, a shared subscription).</summary>
    public int Hubs { get; init; } = 1;

    /// <summary>Extra hub configuration (<c>Key=Value</c>, passed as <c>--Key=Value</c>) for a hub this run starts.</summary>
    public IReadOnlyList<string> HubSettings { get; init; } = [];

    /// <summary>The hub's dll; by default <c>coldtrace-hub.dll</c> beside this program.</summary>
    public string HubDll { get; init; } = Path.Combine(AppContext.BaseDirectory, "coldtrace-hub.dll");

    /// <summary>Where the hub's data and the raw LiteDB measurement live (a fresh temporary directory by default).</summary>
    public string? DataDirectory { get; init; }

    public TimeSpan LimitsDuration { get; init; } = TimeSpan.FromSeconds(3);

    public string? JsonPath { get; init; }

    public string? DocsLabel { get; init; }

    public string? DocsPath { get; init; }

    /// <summary>A running hub's broker (host:port); null = start a hub.</summary>
    public string? Broker { get; init; }

    public Uri? Api { get; init; }

    public string? Token { get; init; }

    public string? VerifierKey { get; init; }

    public int? HubPid { get; init; }

    public bool StartsHub => Broker is null;

    /// <summary>The command line as given, for the report.</summary>
    public string CommandLine { get; init; } = "load";

    public static bool TryParse(IReadOnlyList<string> args, out LoadSettings settings, out string? error)
    {
        settings = new LoadSettings { CommandLine = string.Join(' ', ["load", .. args]) };
        error = null;
        var hubSettings = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--mosquitto")
            {
                settings = settings with { Mosquitto = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            var ok = true;
            switch (name)
            {
                case "--devices":
                    ok = int.TryParse(value, CultureInfo.InvariantCulture, out var devices) && devices is >= 1 and <= 10_000;
                    settings = settings with { Devices = devices };
                    break;
                case "--rate" when value == "max":
                    settings = settings with { Rate = null };
                    break;
                case "--rate":
                    ok = double.TryParse(value, CultureInfo.InvariantCulture, out var rate) && rate > 0;
                    settings = settings with { Rate = rate };
                    break;
                case "--duration":
                    ok = TrySeconds(value, out var duration);
                    settings = settings with { Duration = duration };
                    break;
                case "--warmup":
                    ok = TrySeconds(value, out var warmup) || value == "0";
                    settings = settings with { Warmup = warmup };
                    break;
                case "--window":
                    ok = int.TryParse(value, CultureInfo.InvariantCulture, out var window) && window >= 1;
                    settings = settings with { Window = window };
                    break;
                case "--envelopes":
                    ok = int.TryParse(value, CultureInfo.InvariantCulture, out var envelopes) && envelopes is >= 1 and <= 128;
                    settings = settings with { Envelopes = envelopes };
                    break;
                case "--presign":
                    ok = int.TryParse(value, CultureInfo.InvariantCulture, out var presign) && presign >= 1;
                    settings = settings with { Presign = presign };
                    break;
                case "--hub-setting":
                    ok = value.Contains('=', StringComparison.Ordinal);
                    hubSettings.Add(value);
                    break;
                case "--hubs":
                    ok = int.TryParse(value, CultureInfo.InvariantCulture, out var hubs) && hubs is >= 1 and <= 8;
                    settings = settings with { Hubs = hubs };
                    break;
                case "--hub-dll":
                    settings = settings with { HubDll = value };
                    break;
                case "--data":
                    settings = settings with { DataDirectory = value };
                    break;
                case "--limits-seconds":
                    ok = TrySeconds(value, out var limits);
                    settings = settings with { LimitsDuration = limits };
                    break;
                case "--json":
                    settings = settings with { JsonPath = value };
                    break;
                case "--write-docs":
                    settings = settings with { DocsLabel = value };
                    break;
                case "--docs":
                    settings = settings with { DocsPath = value };
                    break;
                case "--broker":
                    ok = value.Contains(':', StringComparison.Ordinal);
                    settings = settings with { Broker = value };
                    break;
                case "--api":
                    ok = Uri.TryCreate(value, UriKind.Absolute, out var api);
                    settings = settings with { Api = api };
                    break;
                case "--token":
                    settings = settings with { Token = value };
                    break;
                case "--verifier-key":
                    settings = settings with { VerifierKey = value };
                    break;
                case "--hub-pid":
                    ok = int.TryParse(value, CultureInfo.InvariantCulture, out var pid) && pid > 0;
                    settings = settings with { HubPid = pid };
                    break;
                default:
                    error = $"unknown option {name}";
                    return false;
            }

            if (!ok)
            {
                error = $"{name}: cannot use '{value}'";
                return false;
            }
        }

        settings = settings with { HubSettings = hubSettings };
        if (settings.Hubs > 1 && (!settings.Mosquitto || !hubSettings.Contains("Storage:Backend=Postgres", StringComparer.OrdinalIgnoreCase)))
        {
            error = "--hubs above 1 needs --mosquitto and --hub-setting Storage:Backend=Postgres: several instances share one database and a shared subscription";
            return false;
        }

        if (settings.Broker is not null && (settings.Api is null || settings.Token is null || settings.VerifierKey is null))
        {
            error = "--broker needs --api, --token (an admin's) and --verifier-key: devices are enrolled through the hub's API";
            return false;
        }

        return true;
    }

    private static bool TrySeconds(string value, out TimeSpan span)
    {
        var ok = double.TryParse(value, CultureInfo.InvariantCulture, out var seconds) && seconds > 0;
        span = ok ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        return ok;
    }
}
