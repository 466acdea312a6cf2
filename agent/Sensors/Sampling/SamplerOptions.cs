using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Agent.Sensors.Sampling;

/// <summary>How often sensors are read, how readings are grouped, and the range that raises an alarm.
/// Defaults fit a 2–8 °C pharmacy fridge.</summary>
internal sealed class SamplerOptions
{
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan ReportWindow { get; set; } = TimeSpan.FromMinutes(5);

    [Range(-55.0, 125.0)]
    public double MinCelsius { get; set; } = 2.0;

    [Range(-55.0, 125.0)]
    public double MaxCelsius { get; set; } = 8.0;

    /// <summary>How far back inside the range a reading must be to clear an alarm.</summary>
    [Range(0.0, 5.0)]
    public double HysteresisCelsius { get; set; } = 0.2;
}
