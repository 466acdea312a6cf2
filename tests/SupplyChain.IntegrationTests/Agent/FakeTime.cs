namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// Debian's libfaketime (package <c>faketime</c>) preloaded into a child process, which then sees a faked clock read from a
/// file (libfaketime 0.9.10 README, /usr/share/doc/faketime: <c>FAKETIME_TIMESTAMP_FILE</c>, re-read every second here, or on
/// every call with <see cref="Steppable"/>). Two uses:
/// <list type="bullet">
/// <item><see cref="Accelerated"/>: wall and monotonic clocks both faked. The process starts at normal speed (a .NET host
/// under x720 from its first instruction trips the 2 s regex timeout of options validation while it JIT-compiles), then
/// <see cref="Set"/> with a speed makes both clocks, and so .NET's timers, which wait on the monotonic clock, run that many
/// times faster: a day of sampling every minute passes in minutes.</item>
/// <item><see cref="Steppable"/>: only the wall clock (CLOCK_REALTIME) is faked while CLOCK_MONOTONIC stays real
/// (<c>FAKETIME_DONT_FAKE_MONOTONIC=1</c>), which is what an NTP step or <c>date -s</c> does to a running process.</item>
/// </list>
/// </summary>
internal sealed class FakeTime
{
    private readonly string _file;

    private FakeTime(string file, Dictionary<string, string> environment)
    {
        _file = file;
        Environment = environment;
    }

    /// <summary>The variables to add to the child's environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Both clocks at <paramref name="offset"/> from now and at normal speed until <see cref="Set"/> changes it.</summary>
    public static FakeTime Accelerated(string directory, TimeSpan offset)
    {
        var clock = new FakeTime(
            Path.Combine(directory, "faketime.rc"),
            new Dictionary<string, string>
            {
                ["LD_PRELOAD"] = Library(),
                ["FAKETIME_TIMESTAMP_FILE"] = Path.Combine(directory, "faketime.rc"),
                ["FAKETIME_CACHE_DURATION"] = "1",
            });
        clock.Set(offset);
        return clock;
    }

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

    /// <summary>
    /// Sets the clock to <paramref name="offset"/> from the real time, running <paramref name="speed"/> times as fast (a rename,
    /// so no reader sees half a line). A new speed applies to the time since the process started, so the clock leaps ahead.
    /// </summary>
    public void Set(TimeSpan offset, int speed = 1)
    {
        var next = _file + ".next";
        var spec = (offset < TimeSpan.Zero ? "-" : "+")
            + ((long)Math.Abs(offset.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)
            + (speed == 1 ? string.Empty : " x" + speed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(next, spec + "\n");
        File.Move(next, _file, overwrite: true);
    }

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
