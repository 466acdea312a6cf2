using System.Globalization;
using System.Text.Json;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Signing;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Custody;

/// <summary>
/// Reads a log entry as the fact the custody rules apply (PROTOCOL §6): a device-event leaf is its canonical envelope
/// (§4.6), a hub-decision leaf a <see cref="DeviceDecision"/>, a <see cref="QualityDecision"/> (recall opened or
/// closed, quarantine released) or a <see cref="DispenseDecision"/>. Leaves that are none of these give no fact.
/// </summary>
internal static class LogFacts
{
    public static ChainFact? Read(StoredEntry entry)
    {
        if (entry.Leaf.Length < 2)
        {
            return null;
        }

        var body = entry.Leaf.AsSpan(1);
        return (LogLeafKind)entry.Leaf[0] switch
        {
            LogLeafKind.DeviceEvent => ReadEvent(body),
            LogLeafKind.HubDecision => ReadDecision(body),
            _ => null,
        };
    }

    /// <summary>The rules' role for a device role. A sensor only reports readings (<see cref="SiteRole.Sensor"/>).</summary>
    public static SiteRole RoleOf(DeviceRole role) => role switch
    {
        DeviceRole.Manufacturer => SiteRole.Manufacturer,
        DeviceRole.Warehouse => SiteRole.Wholesaler,
        DeviceRole.Pharmacy => SiteRole.Pharmacy,
        _ => SiteRole.Sensor,
    };

    private static DeviceEventFact? ReadEvent(ReadOnlySpan<byte> body)
    {
        if (!EnvelopeCodec.TryDecode(body, LogSequencer.MaxBodySize, out var envelope, out _)
            || !EventCodec.TryDecode(envelope!.Payload.Span, out var custodyEvent, out _))
        {
            return null;
        }

        return new DeviceEventFact(envelope.EventId, custodyEvent!);
    }

    private static ChainFact? ReadDecision(ReadOnlySpan<byte> body) =>
        DecisionName(body) switch
        {
            QualityDecision.RecallOpened or QualityDecision.RecallClosed or QualityDecision.QuarantineReleased =>
                QualityDecision.TryDecode(body)?.ToFact(),
            DispenseDecision.Dispensed or DispenseDecision.Undone => DispenseDecision.TryDecode(body)?.ToFact(),
            _ => ReadDeviceDecision(body),
        };

    /// <summary>The top-level <c>decision</c> member, read without binding the rest (each kind has its own required members).</summary>
    private static string? DecisionName(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isDecision = reader.ValueTextEquals("decision"u8);
                reader.Read();
                if (isDecision)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: no decision.
        }

        return null;
    }

    private static ChainFact? ReadDeviceDecision(ReadOnlySpan<byte> body)
    {
        DeviceDecision? decision;
        try
        {
            decision = DeviceDecision.Decode(body);
        }
        catch (JsonException)
        {
            // Another kind of hub decision (or none the rules know): not a device fact.
            return null;
        }

        if (decision is null
            || !string.Equals(decision.Type, DeviceDecision.TypeName, StringComparison.Ordinal)
            || !DateTimeOffset.TryParse(decision.Time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return null;
        }

        return decision.Decision switch
        {
            DeviceDecision.Enrolled when Gln.TryParse(decision.Site, out var site, out _) && DeviceRoles.TryParse(decision.Role, out var role) =>
                new DeviceEnrolled(decision.DeviceId, site, RoleOf(role), decision.Actor, time),
            DeviceDecision.Revoked => new DeviceRevoked(decision.DeviceId, decision.Actor, decision.Reason ?? string.Empty, time),
            _ => null,
        };
    }
}
