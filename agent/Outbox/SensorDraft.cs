using LiteDB;
using SupplyChain.Contracts.Events;

namespace SupplyChain.Agent.Outbox;

/// <summary>
/// A sensor report or alarm waiting in the outbox before it joins the device chain. It holds everything the event says
/// except the chain position; <see cref="Build"/> makes the event once <c>seq</c> and <c>prev</c> are known
/// (see <see cref="EventOutbox"/> for why sensor events are chained when they are taken for sending).
/// </summary>
internal sealed record SensorDraft
{
    private SensorDraft(DateTimeOffset time, string site, string asset, IReadOnlyList<TemperatureSample> samples, decimal? lower, decimal? upper)
    {
        Time = time;
        Site = site;
        Asset = asset;
        Samples = samples;
        LowerLimit = lower;
        UpperLimit = upper;
    }

    public DateTimeOffset Time { get; }

    public string Site { get; }

    public string Asset { get; }

    public IReadOnlyList<TemperatureSample> Samples { get; }

    public decimal? LowerLimit { get; }

    public decimal? UpperLimit { get; }

    /// <summary>An alarm is kept in preference to a routine report when the sensor quota overflows.</summary>
    public bool IsAlarm => LowerLimit is not null;

    /// <summary>A window of samples of <paramref name="asset"/>, reported at <paramref name="time"/>.</summary>
    public static SensorDraft Report(DateTimeOffset time, string site, string asset, IReadOnlyList<TemperatureSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfZero(samples.Count, nameof(samples));
        return new(time, site, asset, [.. samples], null, null);
    }

    /// <summary>A reading of <paramref name="asset"/> that crossed [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    public static SensorDraft Alarm(DateTimeOffset time, string site, string asset, TemperatureSample reading, decimal lower, decimal upper) =>
        new(time, site, asset, [reading], lower, upper);

    public CustodyEvent Build(DeviceStamp stamp) => IsAlarm
        ? CustodyEvents.ReportAlarm(Time, stamp, Site, Asset, Samples[0], LowerLimit!.Value, UpperLimit!.Value)
        : CustodyEvents.ReportTemperatures(Time, stamp, Site, Asset, Samples);

    // Times as UTC ticks so nothing is lost to LiteDB's millisecond DateTime; °C as Decimal128 so values stay exact.
    internal BsonDocument ToBson(string bootId, bool clockSynced)
    {
        var samples = new BsonArray(Samples.Select(s => new BsonArray { s.Time.UtcTicks, s.Celsius }));
        var doc = new BsonDocument
        {
            ["t"] = Time.UtcTicks,
            ["site"] = Site,
            ["asset"] = Asset,
            ["s"] = samples,
            ["boot"] = bootId,
            ["sync"] = clockSynced,
        };
        if (IsAlarm)
        {
            doc["lo"] = LowerLimit!.Value;
            doc["hi"] = UpperLimit!.Value;
        }

        return doc;
    }

    internal static (SensorDraft Draft, string BootId, bool ClockSynced) FromBson(BsonDocument doc)
    {
        var samples = doc["s"].AsArray
            .Select(s => new TemperatureSample(new DateTimeOffset(s.AsArray[0].AsInt64, TimeSpan.Zero), s.AsArray[1].AsDecimal))
            .ToArray();
        var draft = new SensorDraft(
            new DateTimeOffset(doc["t"].AsInt64, TimeSpan.Zero),
            doc["site"].AsString,
            doc["asset"].AsString,
            samples,
            doc.TryGetValue("lo", out var lo) ? lo.AsDecimal : null,
            doc.TryGetValue("hi", out var hi) ? hi.AsDecimal : null);
        return (draft, doc["boot"].AsString, doc["sync"].AsBoolean);
    }
}
