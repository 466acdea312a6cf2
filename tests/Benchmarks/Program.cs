using System.Globalization;
using SupplyChain.Benchmarks;

// coldtrace-bench log [entries] [tree sizes, comma-separated] [leaf bytes] [directory]
// Prints a Markdown table for docs/BENCHMARKS.md.
if (args is not ["log", ..])
{
    Console.Error.WriteLine("usage: coldtrace-bench log [entries=100000] [tree sizes=1000000,10000000] [leaf bytes=200] [directory]");
    return 2;
}

var entries = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var sizes = (args.Length > 2 ? args[2] : "1000000,10000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
var leafSize = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200;
var directory = args.Length > 4 ? args[4] : Path.Combine(Path.GetTempPath(), "coldtrace-bench-log");
Console.WriteLine(LogBenchmark.Run(entries, sizes, leafSize, directory));
return 0;
