using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SupplyChain.Hub;
using SupplyChain.Hub.Log;

// Usage: SupplyChain.LogCrashHost <data directory> <first entry number>
// Starts the real hub on that data directory and appends "crash-entry-<n>" leaves from 16 concurrent writers, printing
// "ack <n> <index>" once each append is durable. The crash test kills this process at random moments.
var directory = args[0];
var first = long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var app = HubHost.Build(
[
    "--urls=http://127.0.0.1:0",
    $"--Hub:DataDirectory={directory}",
    "--Log:CheckpointPeriod=00:00:00.100",
    "--Broker:Port=0",
    "--Logging:LogLevel:Default=Warning",
]);
await app.StartAsync();
var sequencer = app.Services.GetRequiredService<LogSequencer>();
var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
var gate = new Lock();
Console.Error.WriteLine("ready");

var next = first;
await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
{
    while (true)
    {
        var n = Interlocked.Increment(ref next) - 1;
        var result = await sequencer.AppendAsync(LogLeafKind.HubDecision, Encoding.UTF8.GetBytes($"crash-entry-{n}"), CancellationToken.None);
        lock (gate)
        {
            output.WriteLine($"ack {n} {result.Index}");
        }
    }
}));
