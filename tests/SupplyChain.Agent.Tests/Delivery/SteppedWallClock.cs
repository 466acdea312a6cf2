namespace SupplyChain.Agent.Tests.Delivery;

/// <summary>
/// The system clock whose wall time can be stepped, as NTP or an operator's <c>date -s</c> steps CLOCK_REALTIME, while
/// the monotonic clock (<see cref="TimeProvider.GetTimestamp"/>) and timers run on untouched. FakeTimeProvider cannot
/// do this: its wall time never goes back and its timestamps follow its wall time.
/// </summary>
internal sealed class SteppedWallClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    public override long GetTimestamp() => System.GetTimestamp();

    public override long TimestampFrequency => System.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);

    /// <summary>Moves the wall clock by <paramref name="step"/> (negative: back).</summary>
    public void Step(TimeSpan step) => Interlocked.Add(ref _offsetTicks, step.Ticks);
}
