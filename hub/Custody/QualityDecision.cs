using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Custody;

/// <summary>
/// The body of a hub-decision leaf a quality person makes (PROTOCOL.md §4.6 "Hub decisions: recalls and quarantine
/// releases"): a recall opened or closed, packs released from quarantine. Same envelope as <see cref="DeviceDecision"/>
/// (<c>type</c>, <c>decision</c>, <c>actor</c>, <c>time</c>), compact UTF-8 JSON, absent members omitted.
/// </summary>
internal sealed record QualityDecision
{
    public const string RecallOpened = "recall_opened";
    public const string RecallClosed = "recall_closed";
    public const string QuarantineReleased = "quarantine_released";

    [JsonPropertyName("type")]
    public string Type { get; init; } = DeviceDecision.TypeName;

    [JsonPropertyName("decision")]
    public required string Decision { get; init; }

    /// <summary>Recall decisions: the recall.</summary>
    [JsonPropertyName("recallId")]
    public string? RecallId { get; init; }

    /// <summary><see cref="RecallOpened"/>: which packs.</summary>
    [JsonPropertyName("scope")]
    public RecallScopeWire? Scope { get; init; }

    /// <summary><see cref="QuarantineReleased"/>: the packs, as GS1 Digital Link URIs, sorted.</summary>
    [JsonPropertyName("packs")]
    public IReadOnlyList<string>? Packs { get; init; }

    [JsonPropertyName("reason")]
    public required string Reason { get; init; }

    [JsonPropertyName("actor")]
    public required string Actor { get; init; }

    /// <summary>UTC with milliseconds, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    [JsonPropertyName("time")]
    public required string Time { get; init; }

    public static QualityDecision Opened(string recallId, RecallScope scope, string reason, string actor, DateTimeOffset time) => new()
    {
        Decision = RecallOpened,
        RecallId = recallId,
        Scope = RecallScopeWire.Of(scope),
        Reason = reason,
        Actor = actor,
        Time = DeviceDecision.FormatTime(time),
    };

    public static QualityDecision Closed(string recallId, string reason, string actor, DateTimeOffset time) => new()
    {
        Decision = RecallClosed,
        RecallId = recallId,
        Reason = reason,
        Actor = actor,
        Time = DeviceDecision.FormatTime(time),
    };

    public static QualityDecision Released(IEnumerable<PackKey> packs, string reason, string actor, DateTimeOffset time) => new()
    {
        Decision = QuarantineReleased,
        Packs = [.. packs.Distinct().Order().Select(p => p.ToDigitalLink())],
        Reason = reason,
        Actor = actor,
        Time = DeviceDecision.FormatTime(time),
    };

    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, QualityDecisionJsonContext.Wire.QualityDecision);

    /// <summary>The decision, or null when <paramref name="json"/> is not one (a <see cref="JsonException"/> is caught).</summary>
    public static QualityDecision? TryDecode(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, QualityDecisionJsonContext.Wire.QualityDecision);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The fact the rules apply, or null when a member is missing or malformed (then the leaf gives no fact).</summary>
    public ChainFact? ToFact()
    {
        if (!string.Equals(Type, DeviceDecision.TypeName, StringComparison.Ordinal)
            || !DateTimeOffset.TryParseExact(Time, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return null;
        }

        switch (Decision)
        {
            case RecallOpened when RecallId is { Length: > 0 } id && Scope is not null && Scope.TryToScope(out var scope, out _):
                return new Contracts.Rules.RecallOpened(id, scope, Actor, Reason, time);
            case RecallClosed when RecallId is { Length: > 0 } id:
                return new Contracts.Rules.RecallClosed(id, Actor, Reason, time);
            case QuarantineReleased when Packs is { Count: > 0 } uris:
                var packs = new List<PackKey>(uris.Count);
                foreach (var uri in uris)
                {
                    if (!PackKey.TryParse(uri, out var pack, out _))
                    {
                        return null;
                    }

                    packs.Add(pack);
                }

                return new Contracts.Rules.QuarantineReleased(packs, Actor, Reason, time);
            default:
                return null;
        }
    }

    internal const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
}

/// <summary>
/// A recall scope on the wire (PROTOCOL.md §4.6, §6.5): <c>type</c> is <c>lot</c> (<c>gtin</c>, <c>lot</c>),
/// <c>serials</c> (<c>packs</c>: Digital Link URIs), <c>container</c> (<c>sscc</c>) or <c>exposure</c> (<c>location</c>, a
/// GLN, or <c>sscc</c>; <c>from</c>, <c>to</c> as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, the window half-open).
/// </summary>
internal sealed record RecallScopeWire
{
    public const string Lot = "lot";
    public const string Serials = "serials";
    public const string Container = "container";
    public const string Exposure = "exposure";

    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("gtin")]
    public string? Gtin { get; init; }

    [JsonPropertyName("lot")]
    public string? LotNumber { get; init; }

    [JsonPropertyName("packs")]
    public IReadOnlyList<string>? Packs { get; init; }

    [JsonPropertyName("sscc")]
    public string? Sscc { get; init; }

    [JsonPropertyName("location")]
    public string? Location { get; init; }

    [JsonPropertyName("from")]
    public string? From { get; init; }

    [JsonPropertyName("to")]
    public string? To { get; init; }

    public static RecallScopeWire Of(RecallScope scope) => scope switch
    {
        LotRecallScope lot => new() { Type = Lot, Gtin = lot.Gtin.Value, LotNumber = lot.Lot },
        SerialsRecallScope serials => new() { Type = Serials, Packs = [.. serials.Packs.Distinct().Order().Select(p => p.ToDigitalLink())] },
        ContainerRecallScope container => new() { Type = Container, Sscc = container.Container.Value },
        ExposureRecallScope exposure => new()
        {
            Type = Exposure,
            Location = exposure.Place.Kind == PlaceKind.Site ? exposure.Place.Id : null,
            Sscc = exposure.Place.Kind == PlaceKind.Container ? exposure.Place.Id : null,
            From = DeviceDecision.FormatTime(exposure.From),
            To = DeviceDecision.FormatTime(exposure.To),
        },
        _ => throw new ArgumentException($"Unknown scope {scope.GetType().Name}.", nameof(scope)),
    };

    /// <summary>Reads the canonical wire form back; false with a reason for anything else.</summary>
    public bool TryToScope(out RecallScope scope, out string reason)
    {
        scope = null!;
        reason = string.Empty;
        switch (Type)
        {
            case Lot:
                if (!Contracts.Gs1.Gtin.TryParse(Gtin, out var gtin, out reason))
                {
                    reason = $"gtin: {reason}";
                    return false;
                }

                if (!Contracts.Gs1.Lot.TryParse(LotNumber, out var lot, out reason))
                {
                    reason = $"lot: {reason}";
                    return false;
                }

                scope = new LotRecallScope(gtin, lot.Value);
                return true;
            case Serials:
                var packs = new List<PackKey>();
                foreach (var uri in Packs ?? [])
                {
                    if (!PackKey.TryParse(uri, out var pack, out reason))
                    {
                        return false;
                    }

                    packs.Add(pack);
                }

                if (packs.Count == 0)
                {
                    reason = "packs: at least one pack is required";
                    return false;
                }

                scope = new SerialsRecallScope([.. packs.Distinct().Order()]);
                return true;
            case Container:
                if (!Contracts.Gs1.Sscc.TryParse(Sscc, out var sscc, out reason))
                {
                    reason = $"sscc: {reason}";
                    return false;
                }

                scope = new ContainerRecallScope(sscc);
                return true;
            case Exposure:
                return TryExposure(out scope, out reason);
            default:
                reason = $"type must be {Lot}, {Serials}, {Container} or {Exposure}";
                return false;
        }
    }

    private bool TryExposure(out RecallScope scope, out string reason)
    {
        scope = null!;
        Place place;
        if (Location is not null && Sscc is null)
        {
            if (!Gln.TryParse(Location, out var gln, out reason))
            {
                reason = $"location: {reason}";
                return false;
            }

            place = Place.Site(gln);
        }
        else if (Sscc is not null && Location is null)
        {
            if (!Contracts.Gs1.Sscc.TryParse(Sscc, out var sscc, out reason))
            {
                reason = $"sscc: {reason}";
                return false;
            }

            place = Place.Container(sscc);
        }
        else
        {
            reason = "an exposure scope names either a location (GLN) or an sscc";
            return false;
        }

        if (!DateTimeOffset.TryParseExact(From, QualityDecision.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from)
            || !DateTimeOffset.TryParseExact(To, QualityDecision.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var to))
        {
            reason = "from and to must be UTC times, yyyy-MM-ddTHH:mm:ss.fffZ";
            return false;
        }

        if (from >= to)
        {
            reason = "from must be before to";
            return false;
        }

        scope = new ExposureRecallScope(place, from, to);
        reason = string.Empty;
        return true;
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QualityDecision))]
internal sealed partial class QualityDecisionJsonContext : JsonSerializerContext
{
    // Same encoder as device decisions: reasons and lots keep their characters instead of \uXXXX escapes.
    public static QualityDecisionJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
