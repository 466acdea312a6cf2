using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Contracts.Events;

// The JSON shape of EPCIS 2.0 (GS1 EPCIS 2.0 §9, EPCIS-JSON-Schema.json) as far as ColdTrace reads and writes it.
// These types are faithful carriers: times stay strings and unknown members land in Extensions, so a document
// read and written back keeps its values. CustodyEvent is the validated view.

/// <summary>An <c>EPCISDocument</c> (EPCIS 2.0 §9.2).</summary>
public sealed class EpcisDocument
{
    /// <summary>The JSON-LD <c>@context</c>.</summary>
    [JsonPropertyName("@context")]
    public JsonElement? Context { get; init; }

    /// <summary>Optional document id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Always <c>EPCISDocument</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>Always <c>2.0</c> for ColdTrace.</summary>
    [JsonPropertyName("schemaVersion")]
    public string? SchemaVersion { get; init; }

    /// <summary>When the document was made.</summary>
    [JsonPropertyName("creationDate")]
    public string? CreationDate { get; init; }

    /// <summary>The body holding the event list.</summary>
    [JsonPropertyName("epcisBody")]
    public EpcisBody? EpcisBody { get; init; }

    /// <summary>Members this model does not name (epcisHeader, sender, extensions).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>The <c>epcisBody</c> of a document.</summary>
public sealed class EpcisBody
{
    /// <summary>The events; ColdTrace payloads hold exactly one <c>ObjectEvent</c>.</summary>
    [JsonPropertyName("eventList")]
    public IReadOnlyList<ObjectEvent>? EventList { get; init; }

    /// <summary>Members this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>An EPCIS 2.0 <c>ObjectEvent</c> (EPCIS 2.0 §7.4.2) with the ColdTrace extension members (PROTOCOL.md §2.2).</summary>
public sealed class ObjectEvent
{
    /// <summary>Event type; <c>ObjectEvent</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>When it happened, as written.</summary>
    [JsonPropertyName("eventTime")]
    public string? EventTime { get; init; }

    /// <summary>Time zone offset of the place it happened, as written.</summary>
    [JsonPropertyName("eventTimeZoneOffset")]
    public string? EventTimeZoneOffset { get; init; }

    /// <summary>Optional event id URI.</summary>
    [JsonPropertyName("eventID")]
    public string? EventId { get; init; }

    /// <summary>The objects: pack, container or asset URIs.</summary>
    [JsonPropertyName("epcList")]
    public IReadOnlyList<string>? EpcList { get; init; }

    /// <summary><c>ADD</c>, <c>OBSERVE</c> or <c>DELETE</c>.</summary>
    [JsonPropertyName("action")]
    public string? Action { get; init; }

    /// <summary>CBV business step (CBV 2.0 §7.1).</summary>
    [JsonPropertyName("bizStep")]
    public string? BizStep { get; init; }

    /// <summary>CBV disposition (CBV 2.0 §7.2).</summary>
    [JsonPropertyName("disposition")]
    public string? Disposition { get; init; }

    /// <summary>Where it was observed.</summary>
    [JsonPropertyName("readPoint")]
    public LocationRef? ReadPoint { get; init; }

    /// <summary>Where the objects are afterwards.</summary>
    [JsonPropertyName("bizLocation")]
    public LocationRef? BizLocation { get; init; }

    /// <summary>Parties or locations the objects come from.</summary>
    [JsonPropertyName("sourceList")]
    public IReadOnlyList<SourceEntry>? SourceList { get; init; }

    /// <summary>Parties or locations the objects go to.</summary>
    [JsonPropertyName("destinationList")]
    public IReadOnlyList<DestinationEntry>? DestinationList { get; init; }

    /// <summary>Sensor data (EPCIS 2.0 §7.3.8).</summary>
    [JsonPropertyName("sensorElementList")]
    public IReadOnlyList<SensorElement>? SensorElementList { get; init; }

    /// <summary>Instance/lot master data, only with action <c>ADD</c>.</summary>
    [JsonPropertyName("ilmd")]
    public Ilmd? Ilmd { get; init; }

    /// <summary><c>ct:deviceId</c>: the device that made and signed the event.</summary>
    [JsonPropertyName("ct:deviceId")]
    public string? DeviceId { get; init; }

    /// <summary><c>ct:seq</c>: the device's sequence number, never repeated.</summary>
    [JsonPropertyName("ct:seq")]
    public long? Seq { get; init; }

    /// <summary><c>ct:prev</c>: event id of the device's previous event, all zeros for the first.</summary>
    [JsonPropertyName("ct:prev")]
    public string? Prev { get; init; }

    /// <summary><c>ct:bootId</c>: the boot the event was made in.</summary>
    [JsonPropertyName("ct:bootId")]
    public string? BootId { get; init; }

    /// <summary><c>ct:clockSynced</c>: whether the device clock was synchronised.</summary>
    [JsonPropertyName("ct:clockSynced")]
    public bool? ClockSynced { get; init; }

    /// <summary><c>ct:undoes</c>: on a dispense undo, the event id of the dispense it reverses.</summary>
    [JsonPropertyName("ct:undoes")]
    public string? Undoes { get; init; }

    /// <summary>Members this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>A <c>readPoint</c> or <c>bizLocation</c>.</summary>
public sealed class LocationRef
{
    /// <summary>The location URI.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Members this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>One <c>sourceList</c> entry.</summary>
public sealed class SourceEntry
{
    /// <summary>Source type, e.g. <c>possessing_party</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>The source URI.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }
}

/// <summary>One <c>destinationList</c> entry.</summary>
public sealed class DestinationEntry
{
    /// <summary>Destination type, e.g. <c>possessing_party</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>The destination URI.</summary>
    [JsonPropertyName("destination")]
    public string? Destination { get; init; }
}

/// <summary>Instance/lot master data (CBV 2.0 §8): lot and expiry for commissioning.</summary>
public sealed class Ilmd
{
    /// <summary><c>cbvmda:lotNumber</c>.</summary>
    [JsonPropertyName("cbvmda:lotNumber")]
    public string? LotNumber { get; init; }

    /// <summary><c>cbvmda:itemExpirationDate</c>, <c>YYYY-MM-DD</c>.</summary>
    [JsonPropertyName("cbvmda:itemExpirationDate")]
    public string? ItemExpirationDate { get; init; }

    /// <summary>Members this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>One <c>sensorElement</c>: metadata and reports (EPCIS 2.0 §7.3.8.1).</summary>
public sealed class SensorElement
{
    /// <summary>The sensor metadata.</summary>
    [JsonPropertyName("sensorMetadata")]
    public SensorMetadata? SensorMetadata { get; init; }

    /// <summary>The reports.</summary>
    [JsonPropertyName("sensorReport")]
    public IReadOnlyList<SensorReport>? SensorReport { get; init; }

    /// <summary>Members this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary><c>sensorMetadata</c> (EPCIS 2.0 §7.3.8.2).</summary>
public sealed class SensorMetadata
{
    /// <summary>Time of the reading.</summary>
    [JsonPropertyName("time")]
    public string? Time { get; init; }

    /// <summary>Sensor device URI.</summary>
    [JsonPropertyName("deviceID")]
    public string? DeviceId { get; init; }

    /// <summary>Device metadata URI.</summary>
    [JsonPropertyName("deviceMetadata")]
    public string? DeviceMetadata { get; init; }

    /// <summary>Raw data URI.</summary>
    [JsonPropertyName("rawData")]
    public string? RawData { get; init; }

    /// <summary>Start of the reported interval.</summary>
    [JsonPropertyName("startTime")]
    public string? StartTime { get; init; }

    /// <summary>End of the reported interval.</summary>
    [JsonPropertyName("endTime")]
    public string? EndTime { get; init; }

    /// <summary>Data processing method URI.</summary>
    [JsonPropertyName("dataProcessingMethod")]
    public string? DataProcessingMethod { get; init; }

    /// <summary>Business rules URI.</summary>
    [JsonPropertyName("bizRules")]
    public string? BizRules { get; init; }

    /// <summary>Members this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>One <c>sensorReport</c> entry (EPCIS 2.0 §7.3.8.3).</summary>
public sealed class SensorReport
{
    /// <summary>Measurement type, e.g. <c>Temperature</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary><c>ALARM_CONDITION</c> or <c>ERROR_CONDITION</c>.</summary>
    [JsonPropertyName("exception")]
    public string? Exception { get; init; }

    /// <summary>Sensor device URI.</summary>
    [JsonPropertyName("deviceID")]
    public string? DeviceId { get; init; }

    /// <summary>Device metadata URI.</summary>
    [JsonPropertyName("deviceMetadata")]
    public string? DeviceMetadata { get; init; }

    /// <summary>Raw data URI.</summary>
    [JsonPropertyName("rawData")]
    public string? RawData { get; init; }

    /// <summary>Data processing method URI.</summary>
    [JsonPropertyName("dataProcessingMethod")]
    public string? DataProcessingMethod { get; init; }

    /// <summary>Business rules URI.</summary>
    [JsonPropertyName("bizRules")]
    public string? BizRules { get; init; }

    /// <summary>Time of this sample.</summary>
    [JsonPropertyName("time")]
    public string? Time { get; init; }

    /// <summary>Microorganism URI.</summary>
    [JsonPropertyName("microorganism")]
    public string? Microorganism { get; init; }

    /// <summary>Chemical substance URI.</summary>
    [JsonPropertyName("chemicalSubstance")]
    public string? ChemicalSubstance { get; init; }

    /// <summary>Coordinate reference system URI.</summary>
    [JsonPropertyName("coordinateReferenceSystem")]
    public string? CoordinateReferenceSystem { get; init; }

    /// <summary>The value.</summary>
    [JsonPropertyName("value")]
    public decimal? Value { get; init; }

    /// <summary>Vector component.</summary>
    [JsonPropertyName("component")]
    public string? Component { get; init; }

    /// <summary>String value.</summary>
    [JsonPropertyName("stringValue")]
    public string? StringValue { get; init; }

    /// <summary>Boolean value.</summary>
    [JsonPropertyName("booleanValue")]
    public bool? BooleanValue { get; init; }

    /// <summary>Hex binary value.</summary>
    [JsonPropertyName("hexBinaryValue")]
    public string? HexBinaryValue { get; init; }

    /// <summary>URI value.</summary>
    [JsonPropertyName("uriValue")]
    public string? UriValue { get; init; }

    /// <summary>Minimum over the interval.</summary>
    [JsonPropertyName("minValue")]
    public decimal? MinValue { get; init; }

    /// <summary>Maximum over the interval.</summary>
    [JsonPropertyName("maxValue")]
    public decimal? MaxValue { get; init; }

    /// <summary>Mean over the interval.</summary>
    [JsonPropertyName("meanValue")]
    public decimal? MeanValue { get; init; }

    /// <summary>Standard deviation.</summary>
    [JsonPropertyName("sDev")]
    public decimal? SDev { get; init; }

    /// <summary>Percentile rank.</summary>
    [JsonPropertyName("percRank")]
    public decimal? PercRank { get; init; }

    /// <summary>Percentile value.</summary>
    [JsonPropertyName("percValue")]
    public decimal? PercValue { get; init; }

    /// <summary>UN/CEFACT unit code, e.g. <c>CEL</c>.</summary>
    [JsonPropertyName("uom")]
    public string? Uom { get; init; }

    /// <summary><c>ct:lowerLimit</c>: on an alarm, the lowest allowed value of the configured range.</summary>
    [JsonPropertyName("ct:lowerLimit")]
    public decimal? LowerLimit { get; init; }

    /// <summary><c>ct:upperLimit</c>: on an alarm, the highest allowed value of the configured range.</summary>
    [JsonPropertyName("ct:upperLimit")]
    public decimal? UpperLimit { get; init; }

    /// <summary>Members this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}
