using System.Globalization;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.ColdChain;

/// <summary>
/// What the cold-chain page lists (DESIGN §6 "State: per location and container the sensor readings"): every site and
/// container that reported readings or holds packs, with each sensor's latest reading and alarm, how many packs are
/// there now and which products have been there. Fed by <see cref="CustodyState"/> in log order (replay included).
/// Memory: one small record per place and per sensor asset — at most <see cref="MaxPlaces"/> places (empty containers
/// are dropped first) and <see cref="MaxSensorsPerPlace"/> sensors each. The readings themselves stay in the rules
/// (<see cref="CustodyRules.Readings"/>), which plots and excursions query; nothing here copies them.
/// </summary>
internal sealed class ColdChainBoard : ICustodyObserver
{
    public const int MaxPlaces = 10_000;
    public const int MaxSensorsPerPlace = 64;
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private readonly Lock _gate = new();
    private readonly Dictionary<Place, PlaceRecord> _places = [];
    private long _touched;

    public void Applied(long index, ChainFact fact, RuleOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(fact);
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            // The rules store a sensor event's readings only when its verdict is green (enrolled device, its own site).
            if (fact is DeviceEventFact { Event.Kind: CustodyEventKind.SensorReport or CustodyEventKind.SensorAlarm } sensor && outcome.IsGreen)
            {
                Sense(index, sensor.Event);
            }

            foreach (var change in outcome.Changes)
            {
                Move(change);
            }
        }
    }

    /// <summary>A copy of every place, sites first, then by id.</summary>
    public IReadOnlyList<PlaceSnapshot> Snapshot()
    {
        lock (_gate)
        {
            return [.. _places.Values
                .OrderBy(p => p.Place.Kind)
                .ThenBy(p => p.Place.Id, StringComparer.Ordinal)
                .Select(p => p.Snapshot())];
        }
    }

    /// <summary>The products (GTINs) whose packs have been at <paramref name="place"/>; empty for a place not listed.</summary>
    public IReadOnlyList<Gtin> ProductsAt(Place place)
    {
        lock (_gate)
        {
            return _places.TryGetValue(place, out var record) ? [.. record.Products] : [];
        }
    }

    private void Sense(long index, CustodyEvent e)
    {
        // The same place the rules file the readings under (CustodyRules.Sense): the container, else the read point's site.
        if (!TryPlaceOf(e, out var place))
        {
            return;
        }

        TemperatureSample? latest = null;
        SensorAlarm? alarm = null;
        var count = 0;
        foreach (var report in (e.Event.SensorElementList ?? []).SelectMany(element => element.SensorReport ?? []))
        {
            if (report.Value is not { } celsius || !TryReadTime(report.Time, out var time))
            {
                continue;
            }

            count++;
            if (latest is not { } l || time >= l.Time)
            {
                latest = new TemperatureSample(time, celsius);
            }

            if (e.Kind == CustodyEventKind.SensorAlarm && report.LowerLimit is { } lower && report.UpperLimit is { } upper)
            {
                alarm = new SensorAlarm(time, celsius, lower, upper, index);
            }
        }

        if (latest is not { } reading)
        {
            return;
        }

        var record = Record(place);
        var asset = e.Epcs.Count > 0 ? e.Epcs[0] : place.ToString();
        record.Report(asset, e.Device.DeviceId, reading, count, alarm, MaxSensorsPerPlace);
    }

    private void Move(PackChange change)
    {
        var was = OpenPlace(change.Before);
        var now = OpenPlace(change.After);
        if (was == now)
        {
            return;
        }

        if (was is { } left && _places.TryGetValue(left, out var leftRecord))
        {
            leftRecord.Packs = Math.Max(0, leftRecord.Packs - 1);
        }

        if (now is { } arrived)
        {
            var record = Record(arrived);
            record.Packs++;
            record.Products.Add(change.After.Key.Gtin);
        }
    }

    private static Place? OpenPlace(PackState? state) =>
        state is { Presence: [.., { To: null, Place: { } place }] } ? place : null;

    private PlaceRecord Record(Place place)
    {
        if (!_places.TryGetValue(place, out var record))
        {
            if (_places.Count >= MaxPlaces)
            {
                Evict();
            }

            record = new PlaceRecord(place);
            _places[place] = record;
        }

        record.Touched = ++_touched;
        return record;
    }

    /// <summary>Drops the least recently touched tenth of the empty places, containers before sites.</summary>
    private void Evict()
    {
        var victims = _places.Values
            .Where(p => p.Packs == 0)
            .OrderBy(p => p.Place.Kind == PlaceKind.Container ? 0 : 1)
            .ThenBy(p => p.Touched)
            .Take(Math.Max(1, MaxPlaces / 10))
            .Select(p => p.Place)
            .ToList();
        foreach (var victim in victims)
        {
            _places.Remove(victim);
        }
    }

    private static bool TryPlaceOf(CustodyEvent e, out Place place)
    {
        place = default;
        if (e.Epcs.Count > 0 && PlaceText.TryParse(e.Epcs[0], out place, out _) && place.Kind == PlaceKind.Container)
        {
            return true;
        }

        return PlaceText.TryParse(e.ReadPoint, out place, out _) && place.Kind == PlaceKind.Site;
    }

    /// <summary>Event times as ColdTrace writes them (PROTOCOL.md §2.1): UTC with milliseconds.</summary>
    private static bool TryReadTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private sealed class PlaceRecord(Place place)
    {
        private readonly Dictionary<string, SensorRecord> _sensors = new(StringComparer.Ordinal);

        public Place Place { get; } = place;

        public int Packs { get; set; }

        public HashSet<Gtin> Products { get; } = [];

        public long Touched { get; set; }

        public void Report(string asset, string device, TemperatureSample reading, int count, SensorAlarm? alarm, int maxSensors)
        {
            if (!_sensors.TryGetValue(asset, out var sensor))
            {
                if (_sensors.Count >= maxSensors)
                {
                    // A place with more assets than any fridge room has: keep the ones reporting lately.
                    _sensors.Remove(_sensors.MinBy(s => s.Value.Latest.Time).Key);
                }

                sensor = new SensorRecord { Device = device, Latest = reading };
                _sensors[asset] = sensor;
            }

            sensor.Device = device;
            sensor.Readings += count;
            if (reading.Time >= sensor.Latest.Time)
            {
                sensor.Latest = reading;
            }

            if (alarm is { } raised && (sensor.Alarm is not { } previous || raised.Time >= previous.Time))
            {
                sensor.Alarm = raised;
            }
        }

        public PlaceSnapshot Snapshot()
        {
            var sensors = _sensors
                .OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new SensorSnapshot(s.Key, s.Value.Device, s.Value.Latest, s.Value.Readings, s.Value.Alarm))
                .ToList();
            TemperatureSample? latest = sensors.Count == 0 ? null : sensors.MaxBy(s => s.Latest.Time)!.Latest;
            return new PlaceSnapshot(Place, sensors, latest, Packs, [.. Products.OrderBy(g => g.Value, StringComparer.Ordinal)]);
        }
    }

    private sealed class SensorRecord
    {
        public required string Device { get; set; }

        public required TemperatureSample Latest { get; set; }

        public long Readings { get; set; }

        public SensorAlarm? Alarm { get; set; }
    }
}

/// <summary>A place as the board last saw it.</summary>
/// <param name="Place">The site or container.</param>
/// <param name="Sensors">Its sensor assets (fridge GIAI, container SSCC), by asset.</param>
/// <param name="Latest">The newest reading of any of its sensors.</param>
/// <param name="Packs">Packs there now.</param>
/// <param name="Products">Products whose packs have been there.</param>
internal sealed record PlaceSnapshot(Place Place, IReadOnlyList<SensorSnapshot> Sensors, TemperatureSample? Latest, int Packs, IReadOnlyList<Gtin> Products);

/// <summary>One sensor asset of a place: the device reporting it, its newest reading, how many it reported, its last alarm.</summary>
internal sealed record SensorSnapshot(string Asset, string Device, TemperatureSample Latest, long Readings, SensorAlarm? Alarm);

/// <summary>An alarm a device raised (PROTOCOL.md §2.3 <c>ALARM_CONDITION</c>) with the limits it was configured with.</summary>
internal readonly record struct SensorAlarm(DateTimeOffset Time, decimal Celsius, decimal Lower, decimal Upper, long Index);
