namespace SupplyChain.Agent.Sensors;

/// <summary>
/// A temperature sensor the agent samples (DESIGN.md §5). This is a hardware seam: 1-Wire, I2C or the simulator.
/// A read never throws for a sensor problem; it returns a fault with a reason instead.
/// </summary>
internal interface ITemperatureSensor
{
    /// <summary>Stable id of the physical sensor, e.g. the 1-Wire id <c>28-0316a2790aff</c> or <c>i2c-1-0x44</c>.</summary>
    string SensorId { get; }

    /// <summary>Takes one fresh measurement.</summary>
    ValueTask<SensorReadResult> ReadAsync(CancellationToken cancellationToken);
}
