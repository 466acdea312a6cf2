namespace SupplyChain.Agent.Sensors.Simulated;

/// <summary>
/// A scheduled excursion: from <paramref name="Start"/> the temperature rises linearly to <paramref name="PeakCelsius"/>
/// at the midpoint of <paramref name="Duration"/> and falls back to the baseline at its end (a door left open, a failed compressor).
/// </summary>
internal sealed record SimulatedExcursion(DateTimeOffset Start, TimeSpan Duration, double PeakCelsius)
{
    /// <summary>How far along the triangle we are at <paramref name="now"/>: 0 outside the excursion, 1 at its peak.</summary>
    public double Weight(DateTimeOffset now)
    {
        if (Duration <= TimeSpan.Zero || now < Start || now >= Start + Duration)
        {
            return 0;
        }

        var progress = (now - Start) / Duration;
        return 1 - Math.Abs((2 * progress) - 1);
    }
}
