using System.Globalization;
using System.Text.Json;
using SupplyChain.Contracts.Events;

namespace SupplyChain.Hub.Epcis;

/// <summary>
/// Writes the EPCIS 2.0 documents the hub serves (EPCIS 2.0 §9, EPCIS-JSON-Schema.json): an <c>EPCISQueryDocument</c>
/// for a query page and an <c>EPCISDocument</c> for an export, with the devices' events copied member by member from
/// the signed payloads. Two members are added to each event, in our namespace and not signed: <c>ct:logIndex</c> (the
/// log entry, for <c>/v1/log/entries/{index}</c> and its proofs) and <c>ct:eventId</c> (SHA-256 of the signed payload).
/// </summary>
internal static class EpcisJson
{
    public const string MediaType = "application/ld+json";
    public const string LogIndexName = "ct:logIndex";
    public const string EventIdName = "ct:eventId";
    public const string LogSizeName = "ct:logSize";

    public static void WriteQueryStart(Utf8JsonWriter writer, DateTimeOffset now, long logSize)
    {
        WriteHeader(writer, "EPCISQueryDocument", now, logSize);
        writer.WriteStartObject("epcisBody"u8);
        writer.WriteStartObject("queryResults"u8);
        writer.WriteString("queryName"u8, "SimpleEventQuery"u8);
        writer.WriteStartObject("resultsBody"u8);
        writer.WriteStartArray("eventList"u8);
    }

    public static void WriteQueryEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteDocumentStart(Utf8JsonWriter writer, DateTimeOffset now, long logSize)
    {
        WriteHeader(writer, "EPCISDocument", now, logSize);
        writer.WriteStartObject("epcisBody"u8);
        writer.WriteStartArray("eventList"u8);
    }

    public static void WriteDocumentEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The device's event as signed, plus <c>ct:logIndex</c> and <c>ct:eventId</c> (a device cannot set those two).</summary>
    public static void WriteEvent(Utf8JsonWriter writer, LoggedEvent logged)
    {
        using var payload = JsonDocument.Parse(logged.Payload);
        var signed = payload.RootElement.GetProperty("epcisBody"u8).GetProperty("eventList"u8)[0];
        writer.WriteStartObject();
        foreach (var member in signed.EnumerateObject())
        {
            if (!member.NameEquals(LogIndexName) && !member.NameEquals(EventIdName))
            {
                // The value's bytes as the device signed them (WriteTo would re-escape, e.g. + as \u002B).
                writer.WritePropertyName(member.Name);
                writer.WriteRawValue(member.Value.GetRawText(), skipInputValidation: true);
            }
        }

        writer.WriteNumber(LogIndexName, logged.Index);
        writer.WriteString(EventIdName, logged.EventId.ToString());
        writer.WriteEndObject();
    }

    private static void WriteHeader(Utf8JsonWriter writer, string type, DateTimeOffset now, long logSize)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("@context"u8);
        writer.WriteStringValue(EventVocabulary.EpcisContext);
        writer.WriteStartObject();
        writer.WriteString(EventVocabulary.Prefix, EventVocabulary.Namespace);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("type"u8, type);
        writer.WriteString("schemaVersion"u8, "2.0"u8);
        writer.WriteString("creationDate"u8, now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteNumber(LogSizeName, logSize);
    }
}
