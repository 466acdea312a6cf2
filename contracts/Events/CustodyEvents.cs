using System.Globalization;
using System.Text.Json;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Events;

/// <summary>
/// Builds ColdTrace events, one factory per <see cref="CustodyEventKind"/> (PROTOCOL.md §2.3). Identifiers are GS1
/// Digital Link URIs (packs <c>/01/{gtin}/21/{serial}</c>, containers <c>/00/{sscc}</c>, sites and parties <c>/414/{gln}</c>,
/// assets <c>/8004/{giai}</c>). Times are written in UTC truncated to milliseconds.
/// Every factory checks its result as a decoder would and throws <see cref="ArgumentException"/> on values that
/// could not be decoded again; callers pass parsed identifiers, so that is a bug, not bad input.
/// </summary>
public static class CustodyEvents
{
    /// <summary>Serials assigned at packaging: ADD, commissioning, active, ilmd with lot and expiry.</summary>
    public static CustodyEvent Commission(DateTimeOffset time, DeviceStamp device, string site, IReadOnlyList<string> packs, string lot, DateOnly expiry) =>
        Build(time, device, new ObjectEvent
        {
            EpcList = packs,
            Ilmd = new Ilmd { LotNumber = lot, ItemExpirationDate = expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
        }, CustodyEventKind.Commissioning, site);

    /// <summary>
    /// Packs leave <paramref name="site"/> for <paramref name="receiver"/>: OBSERVE, shipping, in_transit,
    /// <c>destinationList</c> possessing_party. An SSCC <paramref name="container"/> is listed as one more epc.
    /// </summary>
    public static CustodyEvent Ship(DateTimeOffset time, DeviceStamp device, string site, IReadOnlyList<string> packs, string receiver, string? container = null) =>
        Build(time, device, new ObjectEvent
        {
            EpcList = container is null ? packs : [.. packs, container],
            DestinationList = [new DestinationEntry { Type = "possessing_party", Destination = receiver }],
        }, CustodyEventKind.Shipping, site);

    /// <summary>Packs arrive at <paramref name="site"/> from <paramref name="sender"/>: OBSERVE, receiving, in_progress, <c>sourceList</c> possessing_party.</summary>
    public static CustodyEvent Receive(DateTimeOffset time, DeviceStamp device, string site, IReadOnlyList<string> packs, string sender, string? container = null) =>
        Build(time, device, new ObjectEvent
        {
            EpcList = container is null ? packs : [.. packs, container],
            SourceList = [new SourceEntry { Type = "possessing_party", Source = sender }],
        }, CustodyEventKind.Receiving, site);

    /// <summary>A pharmacist dispensed the packs: OBSERVE, dispensing, dispensed.</summary>
    public static CustodyEvent Dispense(DateTimeOffset time, DeviceStamp device, string site, IReadOnlyList<string> packs) =>
        Build(time, device, new ObjectEvent { EpcList = packs }, CustodyEventKind.Dispensing, site);

    /// <summary>A dispense reversed: OBSERVE, dispensing, active, <c>ct:undoes</c> = the dispense's event id.</summary>
    public static CustodyEvent UndoDispense(DateTimeOffset time, DeviceStamp device, string site, IReadOnlyList<string> packs, EventId dispense) =>
        Build(time, device, new ObjectEvent { EpcList = packs, Undoes = dispense.ToString() }, CustodyEventKind.DispenseUndo, site);

    /// <summary>Packs destroyed: DELETE, destroying, destroyed.</summary>
    public static CustodyEvent Destroy(DateTimeOffset time, DeviceStamp device, string site, IReadOnlyList<string> packs) =>
        Build(time, device, new ObjectEvent { EpcList = packs }, CustodyEventKind.Destroying, site);

    /// <summary>Packs sent back: OBSERVE, shipping, returned, with the receiving party when known.</summary>
    public static CustodyEvent Return(DateTimeOffset time, DeviceStamp device, string site, IReadOnlyList<string> packs, string? receiver = null) =>
        Build(time, device, new ObjectEvent
        {
            EpcList = packs,
            DestinationList = receiver is null ? null : [new DestinationEntry { Type = "possessing_party", Destination = receiver }],
        }, CustodyEventKind.Returned, site);

    /// <summary>Packs reported stolen: OBSERVE, no bizStep, stolen.</summary>
    public static CustodyEvent ReportStolen(DateTimeOffset time, DeviceStamp device, string site, IReadOnlyList<string> packs) =>
        Build(time, device, new ObjectEvent { EpcList = packs }, CustodyEventKind.Stolen, site);

    /// <summary>
    /// Temperature samples of <paramref name="asset"/> (fridge GIAI or container SSCC): OBSERVE, sensor_reporting, one sensor
    /// element whose metadata gives the interval and whose reports are one per sample (value, time) then one summary
    /// (minValue, maxValue, meanValue rounded half-even to 3 decimals), all type Temperature, uom CEL.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is empty.</exception>
    public static CustodyEvent ReportTemperatures(DateTimeOffset time, DeviceStamp device, string site, string asset, IReadOnlyList<TemperatureSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("A sensor report carries at least one sample.", nameof(samples));
        }

        List<SensorReport> reports = [.. samples.Select(s => new SensorReport
        {
            Type = EventVocabulary.Temperature,
            Value = s.Celsius,
            Time = EpcisTime.Write(s.Time),
            Uom = EventVocabulary.Celsius,
        })];
        reports.Add(new SensorReport
        {
            Type = EventVocabulary.Temperature,
            MinValue = samples.Min(s => s.Celsius),
            MaxValue = samples.Max(s => s.Celsius),
            MeanValue = Math.Round(samples.Sum(s => s.Celsius) / samples.Count, 3, MidpointRounding.ToEven),
            Uom = EventVocabulary.Celsius,
        });
        var element = new SensorElement
        {
            SensorMetadata = new SensorMetadata
            {
                StartTime = EpcisTime.Write(samples.Min(s => s.Time)),
                EndTime = EpcisTime.Write(samples.Max(s => s.Time)),
            },
            SensorReport = reports,
        };
        return Build(time, device, new ObjectEvent { EpcList = [asset], SensorElementList = [element] }, CustodyEventKind.SensorReport, site);
    }

    /// <summary>
    /// A reading of <paramref name="asset"/> outside [<paramref name="lowerLimit"/>, <paramref name="upperLimit"/>]:
    /// OBSERVE, sensor_reporting, one report with <c>exception</c> ALARM_CONDITION, the reading, and the range as
    /// <c>ct:lowerLimit</c>/<c>ct:upperLimit</c>.
    /// </summary>
    public static CustodyEvent ReportAlarm(DateTimeOffset time, DeviceStamp device, string site, string asset, TemperatureSample reading, decimal lowerLimit, decimal upperLimit)
    {
        var report = new SensorReport
        {
            Type = EventVocabulary.Temperature,
            Exception = EventVocabulary.AlarmCondition,
            Value = reading.Celsius,
            Time = EpcisTime.Write(reading.Time),
            Uom = EventVocabulary.Celsius,
            LowerLimit = lowerLimit,
            UpperLimit = upperLimit,
        };
        var element = new SensorElement { SensorMetadata = new SensorMetadata { Time = report.Time }, SensorReport = [report] };
        return Build(time, device, new ObjectEvent { EpcList = [asset], SensorElementList = [element] }, CustodyEventKind.SensorAlarm, site);
    }

    private static CustodyEvent Build(DateTimeOffset time, DeviceStamp device, ObjectEvent body, CustodyEventKind kind, string site)
    {
        ArgumentNullException.ThrowIfNull(body.EpcList);
        var (bizStep, disposition) = VocabularyOf(kind);
        var when = EpcisTime.Write(time);
        var objectEvent = new ObjectEvent
        {
            Type = "ObjectEvent",
            EventTime = when,
            EventTimeZoneOffset = EpcisTime.UtcOffset,
            EpcList = body.EpcList,
            Action = CustodyEvent.ActionOf(kind),
            BizStep = bizStep,
            Disposition = disposition,
            ReadPoint = new LocationRef { Id = site },
            SourceList = body.SourceList,
            DestinationList = body.DestinationList,
            SensorElementList = body.SensorElementList,
            Ilmd = body.Ilmd,
            DeviceId = device.DeviceId,
            Seq = device.Seq,
            Prev = device.Prev.ToString(),
            BootId = device.BootId,
            ClockSynced = device.ClockSynced,
            Undoes = body.Undoes,
        };
        var document = new EpcisDocument
        {
            Context = Context.RootElement,
            Type = "EPCISDocument",
            SchemaVersion = "2.0",
            CreationDate = when,
            EpcisBody = new EpcisBody { EventList = [objectEvent] },
        };
        return CustodyEvent.TryCreate(document, out var result, out var error)
            ? result!
            : throw new ArgumentException($"The values do not make a valid {kind} event: {error}.");
    }

    private static (string? BizStep, string? Disposition) VocabularyOf(CustodyEventKind kind) => kind switch
    {
        CustodyEventKind.Commissioning => ("commissioning", "active"),
        CustodyEventKind.Shipping => ("shipping", "in_transit"),
        CustodyEventKind.Receiving => ("receiving", "in_progress"),
        CustodyEventKind.Dispensing => ("dispensing", "dispensed"),
        CustodyEventKind.DispenseUndo => ("dispensing", "active"),
        CustodyEventKind.Destroying => ("destroying", "destroyed"),
        CustodyEventKind.Returned => ("shipping", "returned"),
        CustodyEventKind.Stolen => (null, "stolen"),
        CustodyEventKind.SensorReport or CustodyEventKind.SensorAlarm => ("sensor_reporting", null),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static readonly JsonDocument Context = JsonDocument.Parse(
        $$"""["{{EventVocabulary.EpcisContext}}",{"{{EventVocabulary.Prefix}}":"{{EventVocabulary.Namespace}}"}]""");
}
