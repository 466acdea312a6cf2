using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Contracts.Topics;

/// <summary>
/// A station's status report on <c>coldtrace/v1/devices/{deviceId}/status</c> (PROTOCOL.md §5.8): what waits in its
/// outbox, what the hub rejected, how its sensors fail. Published retained at QoS 1 on connect and periodically; the
/// newest replaces the last. Readers ignore members they do not know.
/// </summary>
public sealed record StationStatus
{
    /// <summary>Largest payload accepted by <see cref="TryDecode"/>.</summary>
    public const int MaxBytes = 8 * 1024;

    /// <summary>Most entries in <see cref="SensorFaults"/>.</summary>
    public const int MaxSensors = 32;

    /// <summary>Longest <see cref="AgentVersion"/> and <see cref="StationSensorFaults.LastFault"/>.</summary>
    public const int MaxText = 200;

    /// <summary>The reporting device (must equal the topic's device).</summary>
    [JsonPropertyName("device")]
    public required string Device { get; init; }

    /// <summary>When the report was made, by the agent's clock.</summary>
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    /// <summary>Whether the agent's clock was synchronised then (the <c>ct:clockSynced</c> of its events).</summary>
    [JsonPropertyName("clockSynced")]
    public required bool ClockSynced { get; init; }

    /// <summary>Custody events in the outbox not yet acknowledged by the hub.</summary>
    [JsonPropertyName("custodyBacklog")]
    public required long CustodyBacklog { get; init; }

    /// <summary>Sensor reports waiting, chained or still queued.</summary>
    [JsonPropertyName("sensorBacklog")]
    public required long SensorBacklog { get; init; }

    /// <summary>When the oldest waiting event was stored (agent clock); absent when nothing waits.</summary>
    [JsonPropertyName("oldestWaiting")]
    public DateTimeOffset? OldestWaiting { get; init; }

    /// <summary>Events the hub rejected for good and the outbox keeps (PROTOCOL.md §5.4).</summary>
    [JsonPropertyName("rejected")]
    public required long Rejected { get; init; }

    /// <summary>Failed reads per sensor since the agent started; empty when none failed.</summary>
    [JsonPropertyName("sensorFaults")]
    public required IReadOnlyList<StationSensorFaults> SensorFaults { get; init; }

    /// <summary>The agent's version.</summary>
    [JsonPropertyName("agentVersion")]
    public required string AgentVersion { get; init; }

    /// <summary>Compact UTF-8 JSON; absent members omitted.</summary>
    /// <param name="status">The report.</param>
    /// <returns>The payload.</returns>
    public static byte[] Encode(StationStatus status) =>
        JsonSerializer.SerializeToUtf8Bytes(status, StationStatusJsonContext.Wire.StationStatus);

    /// <summary>Reads a status report; false with a reason (never an exception) when it is not a valid one.</summary>
    /// <param name="json">The payload.</param>
    /// <param name="status">The report on success; <see langword="null"/> otherwise.</param>
    /// <param name="error">Why it was refused; <see cref="StationStatusError.None"/> on success.</param>
    /// <returns>Whether <paramref name="json"/> is a valid report.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> json, out StationStatus? status, out StationStatusError error)
    {
        status = null;
        if (json.Length > MaxBytes)
        {
            error = StationStatusError.TooLarge;
            return false;
        }

        StationStatus? read;
        try
        {
            read = JsonSerializer.Deserialize(json, StationStatusJsonContext.Wire.StationStatus);
        }
        catch (JsonException)
        {
            read = null;
        }

        error = read is null ? StationStatusError.NotJson : Check(read);
        status = error == StationStatusError.None ? read : null;
        return status is not null;
    }

    private static StationStatusError Check(StationStatus read)
    {
        if (!DeviceId.TryParse(read.Device, out _, out _))
        {
            return StationStatusError.BadDevice;
        }

        if (read.CustodyBacklog < 0 || read.SensorBacklog < 0 || read.Rejected < 0)
        {
            return StationStatusError.BadCount;
        }

        if (read.SensorFaults.Count > MaxSensors)
        {
            return StationStatusError.TooManySensors;
        }

        if (read.AgentVersion.Length > MaxText)
        {
            return StationStatusError.BadText;
        }

        foreach (var sensor in read.SensorFaults)
        {
            if (sensor is null || sensor.Count < 0)
            {
                return StationStatusError.BadCount;
            }

            if (sensor.Sensor.Length is 0 or > DeviceId.MaxLength || sensor.LastFault.Length > MaxText)
            {
                return StationStatusError.BadText;
            }
        }

        return StationStatusError.None;
    }
}

/// <summary>One sensor's failed reads in a <see cref="StationStatus"/>.</summary>
public sealed record StationSensorFaults
{
    /// <summary>The sensor's id (1–64 characters).</summary>
    [JsonPropertyName("sensor")]
    public required string Sensor { get; init; }

    /// <summary>Failed reads since the agent started.</summary>
    [JsonPropertyName("count")]
    public required long Count { get; init; }

    /// <summary>The reason of the most recent failure (snake_case, e.g. <c>crc_error</c>).</summary>
    [JsonPropertyName("lastFault")]
    public required string LastFault { get; init; }
}

/// <summary>Why a payload is not a <see cref="StationStatus"/>. Names and values are stable.</summary>
public enum StationStatusError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Larger than <see cref="StationStatus.MaxBytes"/>.</summary>
    TooLarge = 1,

    /// <summary>Not JSON, not an object of the right shape, or a required member missing or null.</summary>
    NotJson = 2,

    /// <summary><c>device</c> is not a device id.</summary>
    BadDevice = 3,

    /// <summary>A count is negative, or a sensor entry is null.</summary>
    BadCount = 4,

    /// <summary>More than <see cref="StationStatus.MaxSensors"/> sensors.</summary>
    TooManySensors = 5,

    /// <summary>A sensor id, fault text or version is empty or too long.</summary>
    BadText = 6,
}

/// <summary>Source-generated serialization of status reports.</summary>
[JsonSerializable(typeof(StationStatus))]
internal sealed partial class StationStatusJsonContext : JsonSerializerContext
{
    public static StationStatusJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowDuplicateProperties = false,
    });
}
