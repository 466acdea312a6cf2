using Microsoft.Extensions.Options;

namespace SupplyChain.Agent.Station;

/// <summary>The temperature sensors this station reads: configuration section <c>Sensors</c>
/// (sampling itself is <c>Sensors:Sampling</c>, see <c>SamplerOptions</c>).</summary>
internal sealed class SensorsOptions
{
    public const string Section = "Sensors";

    public IList<SensorDeviceOptions> Devices { get; } = [];
}

/// <summary>One sensor: <c>Type</c> is <c>simulated</c>, <c>ds18b20</c>, <c>sht3x</c> or <c>sht4x</c>.</summary>
internal sealed class SensorDeviceOptions
{
    public string Type { get; set; } = string.Empty;

    /// <summary>ds18b20: the 1-Wire id (<c>28-…</c>); empty takes every DS18B20 on the bus. simulated: the sensor name.</summary>
    public string? Id { get; set; }

    /// <summary>sht3x/sht4x: the I2C bus number (<c>/dev/i2c-1</c> is 1).</summary>
    public int I2cBus { get; set; } = 1;

    /// <summary>sht3x/sht4x: the I2C address; 0x44 when unset.</summary>
    public int? I2cAddress { get; set; }

    /// <summary>simulated: the base temperature in °C.</summary>
    public double BaseCelsius { get; set; } = 5.0;

    /// <summary>simulated: scheduled excursions (a door left open), for demos and end-to-end tests.</summary>
    public IList<SimulatedExcursionOptions> Excursions { get; } = [];
}

/// <summary>A simulated excursion (see <c>SimulatedExcursion</c>): from <c>Start</c> (ISO 8601 with offset), or
/// <c>StartAfter</c> the sensor started, a triangle up to <c>PeakCelsius</c> at half of <c>Duration</c> and back to the base
/// temperature at its end.</summary>
internal sealed class SimulatedExcursionOptions
{
    public DateTimeOffset? Start { get; set; }

    public TimeSpan? StartAfter { get; set; }

    public TimeSpan Duration { get; set; }

    public double PeakCelsius { get; set; }
}

/// <summary>Checks sensor types and addresses, and that the reports have an asset to name.</summary>
/// <remarks>Reads the two station keys from configuration rather than <c>IOptions&lt;StationOptions&gt;</c>, so a bad station
/// setting is reported once, by its own validator.</remarks>
internal sealed class SensorsOptionsValidator(IConfiguration configuration) : IValidateOptions<SensorsOptions>
{
    public ValidateOptionsResult Validate(string? name, SensorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Devices.Count; i++)
        {
            var device = options.Devices[i];
            if (device.Type is not ("simulated" or "ds18b20" or "sht3x" or "sht4x"))
            {
                failures.Add($"Sensors:Devices:{i}:Type '{device.Type}' is not one of simulated, ds18b20, sht3x, sht4x.");
            }

            if (device.I2cAddress is { } address && address is < 0x08 or > 0x77)
            {
                failures.Add($"Sensors:Devices:{i}:I2cAddress {address} is not a 7-bit I2C address (0x08-0x77).");
            }

            if (device.I2cBus < 0)
            {
                failures.Add($"Sensors:Devices:{i}:I2cBus must not be negative.");
            }

            for (var j = 0; j < device.Excursions.Count; j++)
            {
                var key = $"Sensors:Devices:{i}:Excursions:{j}";
                if (device.Type != "simulated")
                {
                    failures.Add($"{key}: only a simulated sensor has scheduled excursions.");
                }
                else if (device.Excursions[j].Duration <= TimeSpan.Zero)
                {
                    failures.Add($"{key}:Duration must be positive.");
                }
                else if (device.Excursions[j].Start.HasValue == device.Excursions[j].StartAfter.HasValue)
                {
                    failures.Add($"{key}: set exactly one of Start (a time) and StartAfter (a delay from the sensor's start).");
                }
            }
        }

        var station = configuration.GetSection(StationOptions.Section);
        if (options.Devices.Count > 0
            && string.IsNullOrEmpty(station[nameof(StationOptions.AssetGiai)])
            && string.IsNullOrEmpty(station[nameof(StationOptions.ContainerSscc)]))
        {
            failures.Add("Station:AssetGiai (or Station:ContainerSscc) is required when Sensors:Devices lists sensors: reports name the watched asset.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
