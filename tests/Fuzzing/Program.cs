using SharpFuzz;
using SupplyChain.Fuzzing;

// coldtrace-fuzz <target>            run under afl-fuzz (SharpFuzz fork server; reads one input from stdin otherwise)
// coldtrace-fuzz <target> <path>...  replay files or folders in-process, print what escapes, exit 1 on any crash
// coldtrace-fuzz list                the targets
if (args.Length == 0 || args[0] == "list")
{
    foreach (var name in FuzzTargets.Names)
    {
        Console.WriteLine($"{name,-12}{FuzzTargets.Create(name).Covers}");
    }

    return args.Length == 0 ? 2 : 0;
}

var targetName = args[0];
if (!FuzzTargets.Names.Contains(targetName))
{
    Console.Error.WriteLine($"Unknown target '{targetName}'; one of: {string.Join(", ", FuzzTargets.Names)}.");
    return 2;
}

if (args.Length == 1)
{
    FuzzTarget? target = null;
    Fuzzer.Run(stream =>
    {
        using var input = new MemoryStream();
        stream.CopyTo(input);
        target ??= FuzzTargets.Create(targetName);
        target.Run(input.ToArray());
    });
    return 0;
}

var replayed = FuzzTargets.Create(targetName);
var crashes = 0;
var inputs = 0;
foreach (var file in args.Skip(1).SelectMany(Replay.Files))
{
    inputs++;
    if (Replay.Run(replayed, File.ReadAllBytes(file)) is { } exception)
    {
        crashes++;
        Console.WriteLine($"CRASH {file}");
        Console.WriteLine(exception);
    }
}

Console.WriteLine($"{targetName}: {inputs} inputs replayed, {crashes} crashes");
return crashes == 0 && inputs > 0 ? 0 : 1;
