using System.Globalization;
using BenchmarkDotNet.Running;
using System.Text.Json;
using SupplyChain.Benchmarks;
using SupplyChain.Benchmarks.Agent;
using SupplyChain.Benchmarks.Load;
using SupplyChain.Benchmarks.Micro;

// coldtrace-bench log [entries] [tree sizes, comma-separated] [leaf bytes] [directory]
// Prints a Markdown table for docs/BENCHMARKS.md.
// coldtrace-bench migrate <entries> <leaf bytes> <connection string of an empty PostgreSQL database> [directory]
// Builds a LiteDB hub of that many entries and times storage migrate into the database (the downtime of the move).
// coldtrace-bench micro [filter] [BenchmarkDotNet options, e.g. --job short]
// Runs the hot-path BenchmarkDotNet classes in SupplyChain.Benchmarks.Micro; a bare filter is a --filter glob.
// coldtrace-bench load [--devices 100] [--rate 2000|max] [--duration 60] [--warmup 10] ... (LoadSettings.Usage)
// Starts a real hub process, drives it over MQTT with signed events from simulated devices and prints a Markdown table;
// exits 1 when the run was unsound (an event lost, rejected, acked twice, out of order or never checkpointed).
// coldtrace-bench seed|verify|recall <directory> ... (Scale/ScaleCommands.Usage)
// Builds a hub data directory of N packs and M log entries, loads the verification API of a hub started on it, and
// times recall targeting on it (docs/BENCHMARKS.md "Verification, recalls and growth").
// In process: BenchmarkDotNet's out-of-process toolchain looks for a project named like the assembly (coldtrace-bench),
// and this project is Benchmarks.csproj.
if (args is ["micro", .. var rest])
{
    string[] options = rest is [var filter, .. var more] && !filter.StartsWith('-') ? ["--filter", filter, .. more]
        : rest.Contains("--filter") || rest.Contains("-f") ? rest : ["--filter", "*", .. rest];
    options = options.Contains("--inProcess") || options.Contains("-i") ? options : [.. options, "--inProcess"];
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(Gs1Benchmarks).Assembly).Run(options);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}

if (args is ["load", .. var loadArgs])
{
    if (!LoadSettings.TryParse(loadArgs, out var settings, out var error))
    {
        Console.Error.WriteLine($"error: {error}");
        Console.Error.WriteLine(LoadSettings.Usage);
        return 2;
    }

    var result = await LoadGenerator.RunAsync(settings, Console.Error, CancellationToken.None);
    var table = result.ToMarkdown();
    Console.WriteLine(table);
    if (settings.JsonPath is { } json)
    {
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(result, LoadResultJson.Options));
    }

    if (settings.DocsLabel is { } label)
    {
        var docs = settings.DocsPath ?? BenchmarksDoc.Find() ?? throw new FileNotFoundException("docs/BENCHMARKS.md not found above the working directory; pass --docs.");
        BenchmarksDoc.Write(docs, label, table);
    }

    if (!result.IsSound)
    {
        Console.Error.WriteLine($"unsound run; reject reasons: {string.Join("; ", result.RejectReasons)}");
    }

    return result.IsSound ? 0 : 1;
}

if (args is ["seed", .. var seedArgs])
{
    return await SupplyChain.Benchmarks.Scale.ScaleCommands.SeedAsync(seedArgs);
}

if (args is ["verify", .. var verifyArgs])
{
    return await SupplyChain.Benchmarks.Scale.ScaleCommands.VerifyAsync(verifyArgs);
}

if (args is ["recall", .. var recallArgs])
{
    return SupplyChain.Benchmarks.Scale.ScaleCommands.Recall(recallArgs);
}

if (args is ["migrate", var migrateEntries, var migrateLeaf, var connection, .. var migrateRest])
{
    var migrateDirectory = migrateRest is [var given] ? given : Path.Combine(Path.GetTempPath(), "coldtrace-bench-migrate");
    Console.WriteLine(MigrationBenchmark.Run(
        long.Parse(migrateEntries, CultureInfo.InvariantCulture), int.Parse(migrateLeaf, CultureInfo.InvariantCulture), migrateDirectory, connection));
    return 0;
}

if (args is ["agent-seed", var seedDirectory, var seedDevice, var seedCount])
{
    return OutboxSeed.Run(seedDirectory, seedDevice, long.Parse(seedCount, CultureInfo.InvariantCulture));
}

if (args is ["agent", .. var agentArgs])
{
    if (!AgentBenchSettings.TryParse(agentArgs, out var agentSettings, out var agentError))
    {
        Console.Error.WriteLine($"error: {agentError}");
        Console.Error.WriteLine(AgentBenchSettings.Usage);
        return 2;
    }

    var agentResult = await AgentBenchmark.RunAsync(agentSettings, Console.Error);
    var agentTable = agentResult.ToMarkdown();
    Console.WriteLine(agentTable);
    if (agentSettings.JsonPath is { } agentJson)
    {
        await File.WriteAllTextAsync(agentJson, JsonSerializer.Serialize(agentResult, LoadResultJson.Options));
    }

    if (agentSettings.DocsLabel is { } agentLabel)
    {
        var docs = agentSettings.DocsPath ?? BenchmarksDoc.Find() ?? throw new FileNotFoundException("docs/BENCHMARKS.md not found above the working directory; pass --docs.");
        BenchmarksDoc.Write(docs, agentLabel, agentTable);
    }

    return agentResult.IsSound ? 0 : 1;
}

if (args is not ["log", ..])
{
    Console.Error.WriteLine("usage: coldtrace-bench log [entries=100000] [tree sizes=1000000,10000000] [leaf bytes=200] [directory]");
    Console.Error.WriteLine("       coldtrace-bench migrate <entries> <leaf bytes> <empty PostgreSQL connection string> [directory]");
    Console.Error.WriteLine("       coldtrace-bench micro [filter] [BenchmarkDotNet options, e.g. --job short]");
    Console.Error.WriteLine("       " + AgentBenchSettings.Usage["usage: ".Length..]);
    Console.Error.WriteLine("       coldtrace-" + "bench " + LoadSettings.Usage["usage: coldtrace-bench ".Length..]);
    Console.Error.WriteLine("       " + SupplyChain.Benchmarks.Scale.ScaleCommands.Usage["usage: ".Length..]);
    return 2;
}

var entries = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var sizes = (args.Length > 2 ? args[2] : "1000000,10000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
var leafSize = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200;
var directory = args.Length > 4 ? args[4] : Path.Combine(Path.GetTempPath(), "coldtrace-bench-log");
Console.WriteLine(LogBenchmark.Run(entries, sizes, leafSize, directory));
return 0;
