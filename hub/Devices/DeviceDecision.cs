using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// The body of a hub-decision leaf that enrols or revokes a device (PROTOCOL.md §4.x "Hub decisions"): compact UTF-8
/// JSON, absent members omitted. With these leaves a verifier rebuilds from the log alone which key was valid for which
/// device, and when.
/// </summary>
internal sealed record DeviceDecision
{
    public const string TypeName = "coldtrace.hub-decision.v1";
    public const string Enrolled = "device_enrolled";
    public const string Revoked = "device_revoked";

    [JsonPropertyName("type")]
    public string Type { get; init; } = TypeName;

    [JsonPropertyName("decision")]
    public required string Decision { get; init; }

    [JsonPropertyName("deviceId")]
    public required string DeviceId { get; init; }

    /// <summary>Base64 (RFC 4648 §4) of the raw 32-byte Ed25519 public key.</summary>
    [JsonPropertyName("publicKey")]
    public required string PublicKey { get; init; }

    [JsonPropertyName("keyId")]
    public required string KeyId { get; init; }

    [JsonPropertyName("site")]
    public required string Site { get; init; }

    [JsonPropertyName("role")]
    public required string Role { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    [JsonPropertyName("actor")]
    public required string Actor { get; init; }

    /// <summary>UTC with milliseconds, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (as event times, PROTOCOL.md §2.1).</summary>
    [JsonPropertyName("time")]
    public required string Time { get; init; }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DeviceDecision For(string decision, DeviceRecord device, string actor, DateTimeOffset time, string? reason = null) => new()
    {
        Decision = decision,
        DeviceId = device.Id.Value,
        PublicKey = Convert.ToBase64String(device.PublicKey),
        KeyId = device.KeyId.ToString(),
        Site = device.Site.Value,
        Role = DeviceRoles.Name(device.Role),
        Reason = reason,
        Actor = actor,
        Time = FormatTime(time),
    };

    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, DeviceDecisionJsonContext.Wire.DeviceDecision);

    public static DeviceDecision? Decode(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, DeviceDecisionJsonContext.Wire.DeviceDecision);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeviceDecision))]
internal sealed partial class DeviceDecisionJsonContext : JsonSerializerContext
{
    // Keeps '+' in base64 keys readable instead of \u002B.
    public static DeviceDecisionJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
