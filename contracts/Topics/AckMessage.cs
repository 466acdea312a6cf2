using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Contracts.Topics;

/// <summary>
/// A message on <c>coldtrace/v1/devices/{deviceId}/acks</c> (PROTOCOL.md §5.3): <c>{"acks":[…]}</c>, one entry per
/// event answered. Readers ignore members they do not know, so the hub may add some.
/// </summary>
public sealed record AckMessage
{
    /// <summary>The answers, in the order the hub reached them.</summary>
    [JsonPropertyName("acks")]
    public required IReadOnlyList<EventAck> Acks { get; init; }

    /// <summary>Compact UTF-8 JSON; absent members omitted.</summary>
    public static byte[] Encode(AckMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, AckJsonContext.Wire.AckMessage);

    /// <summary>Reads an ack message; false (never an exception) when it is not one.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> json, out AckMessage? message)
    {
        try
        {
            message = JsonSerializer.Deserialize(json, AckJsonContext.Wire.AckMessage);
        }
        catch (JsonException)
        {
            message = null;
        }

        return message is not null;
    }
}

/// <summary>Source-generated serialization of acks.</summary>
[JsonSerializable(typeof(AckMessage))]
internal sealed partial class AckJsonContext : JsonSerializerContext
{
    public static AckJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectRequiredConstructorParameters = true,
        AllowDuplicateProperties = false,
    });
}
