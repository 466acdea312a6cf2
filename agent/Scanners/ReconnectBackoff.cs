namespace SupplyChain.Agent.Scanners;

/// <summary>
/// Exponential backoff with jitter for reopening an unplugged scanner: each delay doubles up to <c>max</c>, and a random
/// 50–100 % of it is used so several stations do not retry in lockstep. <see cref="Reset"/> after a successful open.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private TimeSpan _next;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentNullException.ThrowIfNull(random);
        _initial = initial;
        _max = max;
        _random = random;
        _next = initial;
    }

    public static ReconnectBackoff CreateDefault() =>
        new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), Random.Shared);

    /// <summary>The delay to wait before the next attempt.</summary>
    public TimeSpan NextDelay()
    {
        var delay = _next * (0.5 + (0.5 * _random.NextDouble()));
        _next = _next * 2 > _max ? _max : _next * 2;
        return delay;
    }

    public void Reset() => _next = _initial;
}
