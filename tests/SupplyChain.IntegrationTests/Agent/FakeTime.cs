namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// Debian's libfaketime (package <c>faketime</c>) preloaded into a child process, which then sees a faked clock
/// (libfaketime 0.9.10 README, /usr/share/doc/faketime). Two uses:
/// <list type="bullet">
/// <item><see cref="Accelerated"/>: wall and monotonic clocks both faked, from an offset, running <c>x</c> times faster from
/// the process's start, and so do .NET's timers, which wait on the monotonic clock: a day of sampling every minute
/// passes in minutes. The speed must hold from the start: a wait begun before a speed change keeps its real length
/// (measured: a 1-minute PeriodicTimer then stalled for its full real minute). The limit: anything timed by the runtime
/// runs faster too, e.g. options validation's 2 s regex timeout is 5.6 ms real at x360 (x720 tripped it at start).</item>
/// <item><see cref="Steppable"/>: only the wall clock (CLOCK_REALTIME) is faked, from an offset read from a file on every
/// call, while CLOCK_MONOTONIC stays real (<c>FAKETIME_DONT_FAKE_MONOTONIC=1</c>), which is what an NTP step or
/// <c>date -s</c> does to a running process. <see cref="Set"/> steps it.</item>
/// </list>
/// </summary>
internal sealed class FakeTime
{
    private readonly string? _file;

    private FakeTime(string? file, Dictionary<string, string> environment)
    {
        _file = file;
        Environment = environment;
    }

    /// <summary>The variables to add to the child's environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Both clocks starting at <paramref name="offset"/> from now and running <paramref name="speed"/> times as fast.</summary>
    public static FakeTime Accelerated(TimeSpan offset, int speed) => new(
        file: null,
        new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = Library(),
            ["FAKETIME"] = Spec(offset) + " x" + speed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>A wall clock at <paramref name="offset"/> from the real time, read on every call, stepped with <see cref="Set"/>.</summary>
    public static FakeTime Steppable(string directory, TimeSpan offset)
    {
        var clock = new FakeTime(
            Path.Combine(directory, "faketime.rc"),
            new Dictionary<string, string>
            {
                ["LD_PRELOAD"] = Library(),
                ["FAKETIME_TIMESTAMP_FILE"] = Path.Combine(directory, "faketime.rc"),
                ["FAKETIME_NO_CACHE"] = "1",
                ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1",
            });
        clock.Set(offset);
        return clock;
    }

    /// <summary>Steps the wall clock to <paramref name="offset"/> from the real time (a rename, so no reader sees half a line).</summary>
    public void Set(TimeSpan offset)
    {
        var file = _file ?? throw new InvalidOperationException("Only a steppable clock is stepped.");
        var next = file + ".next";
        File.WriteAllText(next, Spec(offset) + "\n");
        File.Move(next, file, overwrite: true);
    }

    // libfaketime's relative form: "+N" or "-N" seconds.
    private static string Spec(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + ((long)Math.Abs(offset.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Library()
    {
        string[] candidates =
        [
            "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
            "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
            "/usr/lib/faketime/libfaketime.so.1",
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("libfaketime is missing: install Debian's faketime (apt-get install -y faketime; tests/run.sh does).");
    }
}
