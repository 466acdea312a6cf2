using System.Globalization;
using SupplyChain.Benchmarks;

// coldtrace-bench log <entries> [leaf bytes] [directory]
// Prints a Markdown table for docs/BENCHMARKS.md. The directory is reused: a second run at a larger size extends the log.
if (args is not ["log", var count, ..])
{
    Console.Error.WriteLine("usage: coldtrace-bench log <entries> [leaf bytes] [directory]");
    return 2;
}

var entries = long.Parse(count, CultureInfo.InvariantCulture);
var leafSize = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var directory = args.Length > 3 ? args[3] : Path.Combine(Path.GetTempPath(), $"coldtrace-bench-log-{leafSize}");
Console.WriteLine(LogBenchmark.Run(entries, leafSize, directory));
return 0;
