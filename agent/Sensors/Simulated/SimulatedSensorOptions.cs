namespace SupplyChain.Agent.Sensors.Simulated;

/// <summary>How a simulated sensor behaves. Defaults model a pharmacy fridge held at 5 °C.</summary>
internal sealed class SimulatedSensorOptions
{
    public double BaseCelsius { get; set; } = 5.0;

    /// <summary>Linear drift from the moment the sensor was created, in °C per hour.</summary>
    public double DriftCelsiusPerHour { get; set; }

    /// <summary>Standard deviation of Gaussian noise added to each read, in °C.</summary>
    public double NoiseCelsius { get; set; } = 0.05;

    /// <summary>Seed for the noise so a run can be replayed exactly.</summary>
    public int Seed { get; set; } = 1;

    public IList<SimulatedExcursion> Excursions { get; } = [];
}
