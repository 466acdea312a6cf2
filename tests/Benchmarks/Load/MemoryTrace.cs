using System.Diagnostics;

namespace SupplyChain.Benchmarks.Load;

/// <summary>The hub's resident memory (VmRSS) sampled through the measured window: whether it levels off or keeps growing.</summary>
internal sealed record MemoryTrace(IReadOnlyList<MemorySample> Samples)
{
    public static MemoryTrace Empty { get; } = new([]);

    public MemorySample? First => Samples.Count > 0 ? Samples[0] : null;

    public MemorySample? Last => Samples.Count > 0 ? Samples[^1] : null;

    /// <summary>The sample nearest the middle of the window.</summary>
    public MemorySample? Middle => Samples.Count > 0 ? Samples[Samples.Count / 2] : null;

    public long Max => Samples.Count > 0 ? Samples.Max(s => s.Bytes) : 0;

    /// <summary>Samples the hub's VmRSS every <paramref name="period"/> until <paramref name="end"/> (a Stopwatch timestamp).</summary>
    public static async Task<MemoryTrace> RecordAsync(int pid, long windowStart, long end, TimeSpan period, CancellationToken cancellationToken)
    {
        var samples = new List<MemorySample>();
        using var timer = new PeriodicTimer(period);
        do
        {
            if (ProcessMeter.Rss(pid) is not { } bytes)
            {
                break;
            }

            samples.Add(new MemorySample(Stopwatch.GetElapsedTime(windowStart).TotalSeconds, bytes));
        }
        while (Stopwatch.GetTimestamp() < end && await timer.WaitForNextTickAsync(cancellationToken));

        return new MemoryTrace(samples);
    }
}

/// <summary>One VmRSS reading, <paramref name="Seconds"/> after the measured window opened.</summary>
internal sealed record MemorySample(double Seconds, long Bytes);
