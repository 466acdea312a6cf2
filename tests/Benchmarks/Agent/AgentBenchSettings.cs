using System.Globalization;

namespace SupplyChain.Benchmarks.Agent;

/// <summary>The options of <c>coldtrace-bench agent</c>.</summary>
internal sealed record AgentBenchSettings
{
    public const string Usage =
        "usage: coldtrace-bench agent [--rate 10] [--scans 200] [--flat-scans 300] [--settle 20] [--sensors 2]\n" +
        "                             [--disk 100000,250000] [--drain 100000] [--drain-hub 20000] [--pace 10000]\n" +
        "                             [--envelopes 64] [--in-flight 8] [--drain-timeout 900] [--limits-seconds 3]\n" +
        "                             [--agent-setting Key=Value]... [--agent-dll FILE.dll or published executable] [--dir DIR] [--json FILE] [--write-docs LABEL] [--docs FILE]\n" +
        "  --scans/--flat-scans 0, --disk none, --drain 0, --drain-hub 0 skip a part.";

    /// <summary>Scans per second in the steady part.</summary>
    public double Rate { get; init; } = 10;

    public int Scans { get; init; } = 200;

    /// <summary>Scans sent one after the other, each as soon as the previous one's signal is read.</summary>
    public int FlatScans { get; init; } = 300;

    /// <summary>Seconds the agent runs connected and idle before its RSS is read.</summary>
    public double SettleSeconds { get; init; } = 20;

    /// <summary>Simulated temperature sensors of the running agent (a typical fridge station has one or two).</summary>
    public int Sensors { get; init; } = 2;

    /// <summary>Backlog sizes seeded and measured on disk.</summary>
    public IReadOnlyList<long> DiskSizes { get; init; } = [100_000, 250_000];

    /// <summary>Backlog drained to the acking endpoint (0 = skip).</summary>
    public long Drain { get; init; } = 100_000;

    /// <summary>Backlog drained to a real hub process on loopback (0 = skip).</summary>
    public long DrainHub { get; init; } = 20_000;

    /// <summary><c>Delivery:DrainMessagesPerSecond</c> during the drains (the pace raised for the measurement).</summary>
    public double Pace { get; init; } = 10_000;

    public int Envelopes { get; init; } = 64;

    public int InFlight { get; init; } = 8;

    public double DrainTimeoutSeconds { get; init; } = 900;

    public double LimitsSeconds { get; init; } = 3;

    /// <summary>Extra agent settings (Key=Value) for every agent started, e.g. to compare a setting before and after.</summary>
    public IReadOnlyList<string> AgentSettings { get; init; } = [];

    public string? Directory { get; init; }

    public string? JsonPath { get; init; }

    public string? DocsLabel { get; init; }

    public string? DocsPath { get; init; }

    /// <summary>The agent's own build output (tests/Benchmarks/bin/{configuration}/{framework} → agent/bin/…): the copy beside
    /// the bench lacks the agent's host packages in its deps.json.</summary>
    public string AgentDll { get; init; } = DefaultAgentDll();

    public string HubDll { get; init; } = Path.Combine(AppContext.BaseDirectory, "coldtrace-hub.dll");

    public string CommandLine { get; init; } = "coldtrace-bench agent";

    private static string DefaultAgentDll()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = bin.Parent?.Parent?.Parent?.Parent?.Parent;
        return root is null ? "coldtrace-agent.dll" : Path.Combine(root.FullName, "agent", "bin", bin.Parent!.Name, bin.Name, "coldtrace-agent.dll");
    }

    public static bool TryParse(IReadOnlyList<string> args, out AgentBenchSettings settings, out string error)
    {
        settings = new AgentBenchSettings { CommandLine = string.Join(' ', ["coldtrace-bench agent", .. args]) };
        error = string.Empty;
        var agentSettings = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            try
            {
                settings = name switch
                {
                    "--rate" => settings with { Rate = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--scans" => settings with { Scans = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--flat-scans" => settings with { FlatScans = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--settle" => settings with { SettleSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--sensors" => settings with { Sensors = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--disk" => settings with { DiskSizes = value == "none" ? [] : [.. value.Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture))] },
                    "--drain" => settings with { Drain = long.Parse(value, CultureInfo.InvariantCulture) },
                    "--drain-hub" => settings with { DrainHub = long.Parse(value, CultureInfo.InvariantCulture) },
                    "--pace" => settings with { Pace = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--envelopes" => settings with { Envelopes = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--in-flight" => settings with { InFlight = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--drain-timeout" => settings with { DrainTimeoutSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--limits-seconds" => settings with { LimitsSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                    "--agent-setting" => settings,
                    "--dir" => settings with { Directory = value },
                    "--json" => settings with { JsonPath = value },
                    "--write-docs" => settings with { DocsLabel = value },
                    "--docs" => settings with { DocsPath = value },
                    "--agent-dll" => settings with { AgentDll = value },
                    "--hub-dll" => settings with { HubDll = value },
                    _ => throw new FormatException($"unknown option {name}"),
                };
            }
            catch (FormatException e)
            {
                error = $"{name} {value}: {e.Message}";
                return false;
            }

            if (name == "--agent-setting")
            {
                agentSettings.Add(value);
            }
        }

        settings = settings with { AgentSettings = agentSettings };
        if (settings.Rate <= 0 || settings.Scans < 0 || settings.FlatScans < 0 || settings.Drain < 0 || settings.DrainHub < 0 || settings.Pace <= 0)
        {
            error = "rates must be positive, counts not negative";
            return false;
        }

        return true;
    }
}
