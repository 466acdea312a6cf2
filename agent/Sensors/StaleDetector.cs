namespace SupplyChain.Agent.Sensors;

/// <summary>
/// Decides when a sensor's raw bytes are stale. "Stale" means: the complete raw measurement (every byte the sensor
/// returned, checksums included) has been byte-identical for longer than <see cref="Limit"/>. A working sensor's least
/// significant bits move (noise, compressor cycles, door openings); a frozen frame means no new conversion is happening
/// (a parasite-powered DS18B20 without strong pull-up keeps its old scratchpad; a bus bridge can replay a buffer).
/// The first frame is never stale, and the clock starts when a frame is first seen. "How long" is monotonic time
/// (<see cref="TimeProvider.GetTimestamp"/>): a Pi's wall clock steps by months at NTP sync, which must neither turn one
/// repeated frame stale nor hide a frozen sensor until the clock catches up.
/// </summary>
internal sealed class StaleDetector
{
    private readonly TimeProvider _timeProvider;
    private byte[] _last = [];
    private long _firstSeen;

    /// <param name="limit">How long identical frames are tolerated; <see cref="Timeout.InfiniteTimeSpan"/> disables the check.</param>
    /// <param name="timeProvider">The clock whose timestamps measure how long.</param>
    public StaleDetector(TimeSpan limit, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        if (limit != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(limit));
        }

        Limit = limit;
    }

    public TimeSpan Limit { get; }

    /// <summary>Records <paramref name="frame"/>, seen now, and says whether it is stale.</summary>
    public bool IsStale(ReadOnlySpan<byte> frame, out TimeSpan unchangedFor)
    {
        if (!frame.SequenceEqual(_last))
        {
            _last = frame.ToArray();
            _firstSeen = _timeProvider.GetTimestamp();
            unchangedFor = TimeSpan.Zero;
            return false;
        }

        unchangedFor = _timeProvider.GetElapsedTime(_firstSeen);
        return Limit != Timeout.InfiniteTimeSpan && unchangedFor > Limit;
    }
}
