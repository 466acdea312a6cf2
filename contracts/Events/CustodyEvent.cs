using System.Globalization;
using System.Text.Json;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Events;

/// <summary>
/// A checked ColdTrace event: an <see cref="EpcisDocument"/> holding exactly one <see cref="ObjectEvent"/> of a known
/// <see cref="CustodyEventKind"/> with all extension members present and well formed (PROTOCOL.md §2).
/// </summary>
public sealed class CustodyEvent
{
    private CustodyEvent(EpcisDocument document, ObjectEvent objectEvent, CustodyEventKind kind, DeviceStamp device, DateTimeOffset eventTime)
    {
        Document = document;
        Event = objectEvent;
        Kind = kind;
        Device = device;
        EventTime = eventTime;
        Epcs = objectEvent.EpcList ?? [];
        ReadPoint = objectEvent.ReadPoint!.Id!;
    }

    /// <summary>The whole document, as read or built.</summary>
    public EpcisDocument Document { get; }

    /// <summary>The one event of <see cref="Document"/>.</summary>
    public ObjectEvent Event { get; }

    /// <summary>What the event records.</summary>
    public CustodyEventKind Kind { get; }

    /// <summary>Device id, sequence number, previous event id, boot id and clock state.</summary>
    public DeviceStamp Device { get; }

    /// <summary>The event time (UTC, milliseconds). Evidence, not order: order comes from <see cref="DeviceStamp.Seq"/>.</summary>
    public DateTimeOffset EventTime { get; }

    /// <summary>All epcs: packs, at most one SSCC container, or the monitored asset of a sensor event.</summary>
    public IReadOnlyList<string> Epcs { get; }

    /// <summary>The site where it happened (<c>readPoint.id</c>).</summary>
    public string ReadPoint { get; }

    /// <summary>The SSCC container among <see cref="Epcs"/> of a custody event (a URI whose path holds <c>/00/</c>), if any.</summary>
    public string? Container { get; private init; }

    /// <summary>Commissioning: <c>cbvmda:lotNumber</c>.</summary>
    public string? Lot { get; private init; }

    /// <summary>Commissioning: <c>cbvmda:itemExpirationDate</c>.</summary>
    public DateOnly? Expiry { get; private init; }

    /// <summary>Shipping and returns: destination possessing party; receiving: source possessing party.</summary>
    public string? Party { get; private init; }

    /// <summary>Dispense undo: the dispensing event it reverses.</summary>
    public EventId? Undoes { get; private init; }

    /// <summary>Checks a document and returns the event it carries, or why it is not a ColdTrace event.</summary>
    public static bool TryCreate(EpcisDocument document, out CustodyEvent? custodyEvent, out EventError error)
    {
        ArgumentNullException.ThrowIfNull(document);
        custodyEvent = null;
        error = Check(document, ref custodyEvent);
        if (error != EventError.None)
        {
            custodyEvent = null;
        }

        return error == EventError.None;
    }

    private static EventError Check(EpcisDocument document, ref CustodyEvent? result)
    {
        if (document.Type != "EPCISDocument" || document.SchemaVersion != "2.0")
        {
            return EventError.NotEpcisDocument;
        }

        if (!HasContext(document.Context))
        {
            return EventError.BadContext;
        }

        if (document.EpcisBody?.EventList is not { Count: 1 } list)
        {
            return EventError.NotExactlyOneEvent;
        }

        var e = list[0];
        if (e is null || e.Type != "ObjectEvent")
        {
            return EventError.NotObjectEvent;
        }

        if (e.DeviceId is null || e.Seq is null || e.Prev is null || e.BootId is null || e.ClockSynced is null)
        {
            return EventError.MissingExtension;
        }

        if (!DeviceStamp.IsToken(e.DeviceId) || !DeviceStamp.IsToken(e.BootId) || e.Seq is < 0 or > DeviceStamp.MaxSeq
            || !EventId.TryParse(e.Prev, out var prev, out _))
        {
            return EventError.BadExtension;
        }

        if (!EpcisTime.TryRead(document.CreationDate, out _) || !EpcisTime.TryRead(e.EventTime, out var eventTime)
            || e.EventTimeZoneOffset != EpcisTime.UtcOffset)
        {
            return EventError.BadTime;
        }

        if (!TryKind(e, out var kind))
        {
            return EventError.UnknownBizStepDisposition;
        }

        if (e.Action != ActionOf(kind))
        {
            return EventError.BadAction;
        }

        if (e.EpcList is not { Count: > 0 } epcs || !epcs.All(IsHttpsUri) || epcs.Distinct(StringComparer.Ordinal).Count() != epcs.Count
            || !IsHttpsUri(e.ReadPoint?.Id) || (e.BizLocation is not null && !IsHttpsUri(e.BizLocation.Id)))
        {
            return EventError.BadIdentifier;
        }

        var device = new DeviceStamp(e.DeviceId, e.Seq.Value, prev, e.BootId, e.ClockSynced.Value);
        var draft = new CustodyEvent(document, e, kind, device, eventTime);
        var error = kind is CustodyEventKind.SensorReport or CustodyEventKind.SensorAlarm
            ? CheckSensor(e, kind)
            : CheckCustody(e, kind, ref draft);
        if (error == EventError.None)
        {
            result = draft;
        }

        return error;
    }

    private static EventError CheckCustody(ObjectEvent e, CustodyEventKind kind, ref CustodyEvent draft)
    {
        if (e.SensorElementList is not null)
        {
            return EventError.BadSensorReport;
        }

        var containers = e.EpcList!.Where(IsContainer).ToList();
        if (containers.Count > 1)
        {
            return EventError.BadIdentifier;
        }

        string? lot = null;
        DateOnly? expiry = null;
        if (kind == CustodyEventKind.Commissioning)
        {
            if (e.Ilmd?.LotNumber is not { Length: > 0 and <= 20 } || containers.Count != 0
                || !DateOnly.TryParseExact(e.Ilmd.ItemExpirationDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return EventError.BadIlmd;
            }

            lot = e.Ilmd.LotNumber;
            expiry = date;
        }
        else if (e.Ilmd is not null)
        {
            return EventError.BadIlmd;
        }

        string? party = null;
        var sources = e.SourceList ?? [];
        var destinations = e.DestinationList ?? [];
        if (!sources.All(s => IsHttpsUri(s?.Source) && s!.Type is not null)
            || !destinations.All(d => IsHttpsUri(d?.Destination) && d!.Type is not null))
        {
            return EventError.BadSourceOrDestination;
        }

        if (kind is CustodyEventKind.Shipping or CustodyEventKind.Returned)
        {
            party = destinations.FirstOrDefault(d => d.Type == "possessing_party")?.Destination;
            if (kind == CustodyEventKind.Shipping && party is null)
            {
                return EventError.BadSourceOrDestination;
            }
        }
        else if (kind == CustodyEventKind.Receiving)
        {
            party = sources.FirstOrDefault(s => s.Type == "possessing_party")?.Source;
            if (party is null)
            {
                return EventError.BadSourceOrDestination;
            }
        }

        EventId? undoes = null;
        if (kind == CustodyEventKind.DispenseUndo)
        {
            if (e.Undoes is null)
            {
                return EventError.MissingExtension;
            }

            if (!EventId.TryParse(e.Undoes, out var undone, out _) || undone.IsNone)
            {
                return EventError.BadExtension;
            }

            undoes = undone;
        }
        else if (e.Undoes is not null)
        {
            return EventError.BadExtension;
        }

        draft = new CustodyEvent(draft.Document, e, kind, draft.Device, draft.EventTime)
        {
            Container = containers.Count == 1 ? containers[0] : null,
            Lot = lot,
            Expiry = expiry,
            Party = party,
            Undoes = undoes,
        };
        return EventError.None;
    }

    private static EventError CheckSensor(ObjectEvent e, CustodyEventKind kind)
    {
        if (e.EpcList!.Count != 1 || e.Ilmd is not null || e.SourceList is not null || e.DestinationList is not null)
        {
            return EventError.BadIdentifier;
        }

        if (e.Undoes is not null)
        {
            return EventError.BadExtension;
        }

        if (e.SensorElementList is not { Count: > 0 } elements)
        {
            return EventError.BadSensorReport;
        }

        var alarms = 0;
        foreach (var element in elements)
        {
            if (element?.SensorReport is not { Count: > 0 } reports || !MetadataTimesValid(element.SensorMetadata))
            {
                return EventError.BadSensorReport;
            }

            foreach (var report in reports)
            {
                if (report is null || !IsTemperature(report.Type) || report.Uom != EventVocabulary.Celsius
                    || (report.Time is not null && !EpcisTime.TryRead(report.Time, out _)))
                {
                    return EventError.BadSensorReport;
                }

                if (report.Exception == EventVocabulary.AlarmCondition)
                {
                    alarms++;
                    if (report.Value is null || report.Time is null || report.LowerLimit is not { } low
                        || report.UpperLimit is not { } high || low > high)
                    {
                        return EventError.BadSensorReport;
                    }
                }
                else if (report.Exception is not null || report.LowerLimit is not null || report.UpperLimit is not null
                    || (report.Value is null && report.MinValue is null && report.MaxValue is null && report.MeanValue is null)
                    || (report.Value is not null && report.Time is null))
                {
                    return EventError.BadSensorReport;
                }
            }
        }

        // An alarm event carries exactly one alarm report and nothing else; a report carries none.
        var isAlarm = alarms > 0;
        if (isAlarm && (alarms != 1 || elements.Count != 1 || elements[0].SensorReport!.Count != 1))
        {
            return EventError.BadSensorReport;
        }

        return isAlarm == (kind == CustodyEventKind.SensorAlarm) ? EventError.None : EventError.BadSensorReport;
    }

    private static bool MetadataTimesValid(SensorMetadata? metadata) =>
        metadata is null || new[] { metadata.Time, metadata.StartTime, metadata.EndTime }.All(t => t is null || EpcisTime.TryRead(t, out _));

    private static bool TryKind(ObjectEvent e, out CustodyEventKind kind)
    {
        CustodyEventKind? found = (e.BizStep, e.Disposition) switch
        {
            ("commissioning", "active") => CustodyEventKind.Commissioning,
            ("shipping", "in_transit") => CustodyEventKind.Shipping,
            ("receiving", "in_progress") => CustodyEventKind.Receiving,
            ("dispensing", "dispensed") => CustodyEventKind.Dispensing,
            ("dispensing", "active") => CustodyEventKind.DispenseUndo,
            ("destroying", "destroyed") => CustodyEventKind.Destroying,
            ("shipping", "returned") => CustodyEventKind.Returned,
            (null, "stolen") => CustodyEventKind.Stolen,
            ("sensor_reporting", null) => HasAlarm(e) ? CustodyEventKind.SensorAlarm : CustodyEventKind.SensorReport,
            _ => null,
        };
        kind = found.GetValueOrDefault();
        return found.HasValue;
    }

    private static bool HasAlarm(ObjectEvent e) =>
        e.SensorElementList?.Any(el => el?.SensorReport?.Any(r => r?.Exception == EventVocabulary.AlarmCondition) == true) == true;

    internal static string ActionOf(CustodyEventKind kind) => kind switch
    {
        CustodyEventKind.Commissioning => "ADD",
        CustodyEventKind.Destroying => "DELETE",
        _ => "OBSERVE",
    };

    internal static bool IsHttpsUri(string? value) =>
        value is { Length: > 0 and <= 512 } && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
        && !value.AsSpan().ContainsAny(" \t\r\n");

    // GS1 Digital Link: an SSCC is the primary key after the path segment "00" (GS1 Digital Link 1.2 §4).
    private static bool IsContainer(string epc) =>
        Uri.TryCreate(epc, UriKind.Absolute, out var uri) && uri.AbsolutePath.Contains("/00/", StringComparison.Ordinal);

    private static bool IsTemperature(string? type) => type is EventVocabulary.Temperature or "gs1:Temperature";

    private static bool HasContext(JsonElement? context)
    {
        if (context is not { ValueKind: JsonValueKind.Array } array)
        {
            return false;
        }

        bool epcis = false, ct = false;
        foreach (var item in array.EnumerateArray())
        {
            epcis |= item.ValueKind == JsonValueKind.String && item.ValueEquals(EventVocabulary.EpcisContext);
            ct |= item.ValueKind == JsonValueKind.Object && item.TryGetProperty(EventVocabulary.Prefix, out var ns)
                && ns.ValueKind == JsonValueKind.String && ns.ValueEquals(EventVocabulary.Namespace);
        }

        return epcis && ct;
    }
}
