using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Custody;

/// <summary>
/// The body of a hub-decision leaf a pharmacist makes through the hub (PROTOCOL.md §4.6 "Hub decisions: dispensing"):
/// <c>{"type":"coldtrace.hub-decision.v1","decision":"pack_dispensed"|"dispense_undone","pack":"&lt;Digital Link&gt;","site":"&lt;GLN&gt;",
/// "actor":"&lt;user&gt;","time":"yyyy-MM-ddTHH:mm:ss.fffZ"}</c>, compact UTF-8 JSON. The rules apply it as a pharmacy
/// device's dispense or undo at <c>site</c> (<see cref="PackDispensed"/>, <see cref="DispenseUndone"/>).
/// </summary>
internal sealed record DispenseDecision
{
    public const string Dispensed = "pack_dispensed";
    public const string Undone = "dispense_undone";

    [JsonPropertyName("type")]
    public string Type { get; init; } = DeviceDecision.TypeName;

    [JsonPropertyName("decision")]
    public required string Decision { get; init; }

    /// <summary>The pack as a GS1 Digital Link URI (<see cref="PackKey.ToDigitalLink"/>).</summary>
    [JsonPropertyName("pack")]
    public required string Pack { get; init; }

    /// <summary>The GLN of the pharmacist's pharmacy.</summary>
    [JsonPropertyName("site")]
    public required string Site { get; init; }

    [JsonPropertyName("actor")]
    public required string Actor { get; init; }

    /// <summary>UTC with milliseconds, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    [JsonPropertyName("time")]
    public required string Time { get; init; }

    public static DispenseDecision For(string decision, PackKey pack, Gln site, string actor, DateTimeOffset time) => new()
    {
        Decision = decision,
        Pack = pack.ToDigitalLink(),
        Site = site.Value,
        Actor = actor,
        Time = DeviceDecision.FormatTime(time),
    };

    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, DispenseDecisionJsonContext.Wire.DispenseDecision);

    /// <summary>The decision, or null when <paramref name="json"/> is not one (a <see cref="JsonException"/> is caught).</summary>
    public static DispenseDecision? TryDecode(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, DispenseDecisionJsonContext.Wire.DispenseDecision);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The fact the rules apply, or null when a member is malformed (then the leaf gives no fact).</summary>
    public ChainFact? ToFact()
    {
        if (!string.Equals(Type, DeviceDecision.TypeName, StringComparison.Ordinal)
            || !DateTimeOffset.TryParseExact(Time, QualityDecision.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            || !PackKey.TryParse(Pack, out var pack, out _)
            || !Gln.TryParse(Site, out var site, out _))
        {
            return null;
        }

        return Decision switch
        {
            Dispensed => new PackDispensed(pack, site, Actor, time),
            Undone => new DispenseUndone(pack, site, Actor, time),
            _ => null,
        };
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DispenseDecision))]
internal sealed partial class DispenseDecisionJsonContext : JsonSerializerContext
{
    // Same encoder as the other hub decisions.
    public static DispenseDecisionJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
