namespace SupplyChain.Agent.Sensors.Sampling;

/// <summary>How often sensors are read, how readings are grouped, and the range that raises an alarm.
/// Defaults fit a 2–8 °C pharmacy fridge.</summary>
internal sealed class SamplerOptions
{
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReportWindow { get; set; } = TimeSpan.FromMinutes(5);

    public double MinCelsius { get; set; } = 2.0;

    public double MaxCelsius { get; set; } = 8.0;

    /// <summary>How far back inside the range a reading must be to clear an alarm.</summary>
    public double HysteresisCelsius { get; set; } = 0.2;
}
