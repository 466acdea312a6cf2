namespace SupplyChain.Contracts.Rules;

/// <summary>
/// Mean kinetic temperature (USP &lt;1079.2&gt;, Haynes): the single temperature that degrades a product as much as the
/// varying temperatures it saw. MKT = (ΔH/R) / (−ln(Σ tᵢ·e^(−ΔH/(R·Tᵢ)) / Σ tᵢ)), with T in kelvin and ΔH/R = 10 000 K
/// (ΔH = 83.144 kJ/mol, the USP default). PROTOCOL.md §6.3.
/// </summary>
public static class Mkt
{
    /// <summary>ΔH/R in kelvin.</summary>
    public const double ActivationEnergyOverR = 10_000.0;

    /// <summary>0 °C in kelvin.</summary>
    public const double ZeroCelsius = 273.15;

    /// <summary>MKT of time-weighted temperatures.</summary>
    /// <param name="intervals">How long each temperature (°C) lasted; non-positive durations weigh nothing.</param>
    /// <returns>MKT in °C, or <see langword="null"/> when the intervals hold no time.</returns>
    public static double? Compute(IReadOnlyList<(TimeSpan Duration, double Celsius)> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var sum = default(Accumulator);
        foreach (var (duration, celsius) in intervals)
        {
            sum.Add(duration, celsius);
        }

        return sum.Result;
    }

    /// <summary>
    /// MKT of readings taken at times: each reading holds from its time until the next reading's time; the last
    /// reading only closes the series. Readings must be in time order.
    /// </summary>
    /// <param name="readings">Time and °C of each reading, in time order.</param>
    /// <returns>MKT in °C, or <see langword="null"/> with fewer than two distinct times.</returns>
    public static double? Compute(IReadOnlyList<(DateTimeOffset Time, double Celsius)> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var intervals = new List<(TimeSpan, double)>(readings.Count);
        for (var i = 0; i + 1 < readings.Count; i++)
        {
            intervals.Add((readings[i + 1].Time - readings[i].Time, readings[i].Celsius));
        }

        return Compute(intervals);
    }

    private static double Exponent(double celsius) => -ActivationEnergyOverR / (celsius + ZeroCelsius);

    /// <summary>
    /// Streaming Σ tᵢ·e^(−ΔH/(R·Tᵢ)) and Σ tᵢ. The terms are about 1e−16 near 0 °C, so the sum is kept relative to the
    /// largest exponent seen (log-sum-exp) and rescaled when a larger one arrives.
    /// </summary>
    internal struct Accumulator
    {
        private double maxExponent;
        private double scaledSum;
        private double seconds;

        public readonly double? Result => seconds > 0
            ? (ActivationEnergyOverR / -(maxExponent + Math.Log(scaledSum / seconds))) - ZeroCelsius
            : null;

        public void Add(TimeSpan duration, double celsius)
        {
            if (duration <= TimeSpan.Zero)
            {
                return;
            }

            var weight = duration.TotalSeconds;
            var exponent = Exponent(celsius);
            if (seconds == 0)
            {
                maxExponent = exponent;
                scaledSum = weight;
            }
            else if (exponent > maxExponent)
            {
                scaledSum = (scaledSum * Math.Exp(maxExponent - exponent)) + weight;
                maxExponent = exponent;
            }
            else
            {
                scaledSum += weight * Math.Exp(exponent - maxExponent);
            }

            seconds += weight;
        }
    }
}
