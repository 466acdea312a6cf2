namespace SupplyChain.Agent.Sensors;

/// <summary>Either a reading or a fault, never both (dotnet/iot's <c>TryRead…(out …)</c> shape, made async-friendly).</summary>
internal readonly struct SensorReadResult
{
    private readonly TemperatureReading _reading;
    private readonly SensorFault _fault;

    private SensorReadResult(TemperatureReading reading, SensorFault fault, bool isSuccess)
    {
        _reading = reading;
        _fault = fault;
        IsSuccess = isSuccess;
    }

    public bool IsSuccess { get; }

    public string SensorId => IsSuccess ? _reading.SensorId : _fault.SensorId;

    public DateTimeOffset Timestamp => IsSuccess ? _reading.Timestamp : _fault.Timestamp;

    public static SensorReadResult Success(TemperatureReading reading) => new(reading, default, isSuccess: true);

    public static SensorReadResult Failure(SensorFault fault) => new(default, fault, isSuccess: false);

    public static SensorReadResult Failure(string sensorId, DateTimeOffset timestamp, SensorFaultReason reason, string detail) =>
        Failure(new SensorFault(sensorId, timestamp, reason, detail));

    /// <summary>True with the reading, or false with the fault that replaced it.</summary>
    public bool TryGetReading(out TemperatureReading reading, out SensorFault fault)
    {
        reading = _reading;
        fault = _fault;
        return IsSuccess;
    }

    public override string ToString() =>
        IsSuccess ? _reading.ToString() : _fault.ToString();
}
