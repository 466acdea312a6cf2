using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Tests.Events;

public sealed class EventCodecTests
{
    [Theory]
    [MemberData(nameof(EventFixtures.Kinds), MemberType = typeof(EventFixtures))]
    public void TryDecode_EncodedEveryKind_RoundTripsExactly(CustodyEventKind kind)
    {
        var built = EventFixtures.Example(kind);
        var payload = EventCodec.Encode(built);

        Assert.True(EventCodec.TryDecode(payload, out var decoded, out var error), error.ToString());
        Assert.Equal(kind, decoded!.Kind);
        Assert.Equal(built.Device, decoded.Device);
        Assert.Equal(EventFixtures.Time, decoded.EventTime);
        Assert.Equal(built.Epcs, decoded.Epcs);
        Assert.Equal(built.ReadPoint, decoded.ReadPoint);
        Assert.Equal(payload, EventCodec.Encode(decoded));
    }

    [Fact]
    public void Encode_Dispensing_WritesPinnedWireForm()
    {
        // Pins PROTOCOL.md §2: member order, time form, extension names. A change here is a protocol change.
        var json = Encoding.UTF8.GetString(EventCodec.Encode(EventFixtures.Example(CustodyEventKind.Dispensing)));

        Assert.Equal(
            "{\"@context\":[\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\",{\"ct\":\"https://ns.coldtrace.dev/epcis/v1#\"}]," +
            "\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\",\"creationDate\":\"2026-01-02T03:04:05.678Z\"," +
            "\"epcisBody\":{\"eventList\":[{\"type\":\"ObjectEvent\",\"eventTime\":\"2026-01-02T03:04:05.678Z\",\"eventTimeZoneOffset\":\"+00:00\"," +
            "\"epcList\":[\"https://id.gs1.org/01/09506000134352/21/ABC123\"],\"action\":\"OBSERVE\",\"bizStep\":\"dispensing\",\"disposition\":\"dispensed\"," +
            "\"readPoint\":{\"id\":\"https://id.gs1.org/414/9506000134383\"}," +
            "\"ct:deviceId\":\"pharmacy-7-scanner\",\"ct:seq\":42,\"ct:prev\":\"" + EventId.Compute("previous payload"u8) + "\"," +
            "\"ct:bootId\":\"6f1c2a7e-3d4b-4c5d-8e9f-0a1b2c3d4e5f\",\"ct:clockSynced\":true}]}}",
            json);
    }

    [Fact]
    public void TryDecode_Commissioning_ExposesLotAndExpiry()
    {
        var decoded = Decode(CustodyEventKind.Commissioning);

        Assert.Equal("LOT42A", decoded.Lot);
        Assert.Equal(new DateOnly(2027, 6, 30), decoded.Expiry);
        Assert.Equal("ADD", decoded.Event.Action);
    }

    [Fact]
    public void TryDecode_Shipping_ExposesReceiverAndContainer()
    {
        var decoded = Decode(CustodyEventKind.Shipping);

        Assert.Equal(EventFixtures.Pharmacy, decoded.Party);
        Assert.Equal(EventFixtures.Sscc, decoded.Container);
        Assert.Equal([EventFixtures.Pack1, EventFixtures.Pack2, EventFixtures.Sscc], decoded.Epcs);
    }

    [Fact]
    public void TryDecode_Receiving_ExposesSender()
    {
        Assert.Equal(EventFixtures.Wholesaler, Decode(CustodyEventKind.Receiving).Party);
    }

    [Fact]
    public void TryDecode_DispenseUndo_ExposesUndoneEvent()
    {
        Assert.Equal(EventId.Compute("the dispense payload"u8), Decode(CustodyEventKind.DispenseUndo).Undoes);
    }

    [Fact]
    public void ReportTemperatures_Samples_WritesSamplesAndSummary()
    {
        var reports = Decode(CustodyEventKind.SensorReport).Event.SensorElementList![0].SensorReport!;

        Assert.Equal([4.5m, 5.25m, 6.0m], reports.Take(3).Select(r => r.Value!.Value));
        Assert.Equal("2026-01-02T03:02:05.678Z", reports[0].Time);
        Assert.Equal((4.5m, 6.0m, 5.25m), (reports[3].MinValue!.Value, reports[3].MaxValue!.Value, reports[3].MeanValue!.Value));
        Assert.All(reports, r => Assert.Equal(("Temperature", "CEL"), (r.Type, r.Uom)));
    }

    [Fact]
    public void ReportAlarm_Reading_CarriesAlarmConditionAndRange()
    {
        var report = Decode(CustodyEventKind.SensorAlarm).Event.SensorElementList![0].SensorReport![0];

        Assert.Equal(("ALARM_CONDITION", 8.4m, 2.0m, 8.0m), (report.Exception, report.Value!.Value, report.LowerLimit!.Value, report.UpperLimit!.Value));
    }

    [Fact]
    public void Factories_SubMillisecondTime_TruncatedToMilliseconds()
    {
        var time = EventFixtures.Time.AddTicks(9999).ToOffset(TimeSpan.FromHours(2));

        var built = CustodyEvents.Dispense(time, EventFixtures.Device(), EventFixtures.Pharmacy, [EventFixtures.Pack1]);

        Assert.Equal("2026-01-02T03:04:05.678Z", built.Event.EventTime);
        Assert.Equal(EventFixtures.Time, built.EventTime);
    }

    [Fact]
    public void Factories_FirstEventOfDevice_WritesAllZeroPrev()
    {
        var device = EventFixtures.Device(seq: 0) with { Prev = EventId.None };

        var built = CustodyEvents.Dispense(EventFixtures.Time, device, EventFixtures.Pharmacy, [EventFixtures.Pack1]);

        Assert.Equal(new string('0', 64), built.Event.Prev);
        Assert.True(EventCodec.TryDecode(EventCodec.Encode(built), out var decoded, out _));
        Assert.True(decoded!.Device.Prev.IsNone);
    }

    [Theory]
    [InlineData("urn:epc:id:sgtin:0614141.107346.2017")]
    [InlineData("http://id.gs1.org/01/09506000134352/21/ABC123")]
    [InlineData("not a uri")]
    public void Dispense_NonHttpsIdentifier_Throws(string pack)
    {
        Assert.Throws<ArgumentException>(() => CustodyEvents.Dispense(EventFixtures.Time, EventFixtures.Device(), EventFixtures.Pharmacy, [pack]));
    }

    [Fact]
    public void ReportTemperatures_NoSamples_Throws()
    {
        Assert.Throws<ArgumentException>(() => CustodyEvents.ReportTemperatures(EventFixtures.Time, EventFixtures.Device(), EventFixtures.Pharmacy, EventFixtures.Fridge, []));
    }

    [Fact]
    public void ReportAlarm_InvertedRange_Throws()
    {
        Assert.Throws<ArgumentException>(() => CustodyEvents.ReportAlarm(
            EventFixtures.Time, EventFixtures.Device(), EventFixtures.Pharmacy, EventFixtures.Fridge, new(EventFixtures.Time, 9m), 8m, 2m));
    }

    public static TheoryData<string, EventError> RawInputs => new()
    {
        { "", EventError.MalformedJson },
        { "{", EventError.MalformedJson },
        { "{\"type\":\"EPCISDocument\",\"type\":\"EPCISDocument\"}", EventError.MalformedJson },
        { "[]", EventError.NotEpcisDocument },
        { "{\"type\":\"EPCISQueryDocument\"}", EventError.NotEpcisDocument },
        { "{\"type\":\"EPCISDocument\",\"epcisBody\":[]}", EventError.WrongFieldType },

        // Found by fuzzing (tests/fuzz.sh event; input in tests/Fuzzing/regressions/event/): the duplicate-member check of
        // JsonDocument unescapes member names and threw InvalidOperationException for a lone surrogate.
        { "{\"type\":\"EPCISDocument\",\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11,\"\\ud800x\":12}", EventError.MalformedJson },
        { "{\"\\ud800\":1,\"\\udc00\":2,\"type\":\"EPCISDocument\"}", EventError.MalformedJson },
        { "{\"type\":\"EPCISDocument\",\"epcisBody\":{\"eventList\":[{\"type\":\"ObjectEvent\",\"\\ud800eventTime\":\"x\"}]}}", EventError.MalformedJson },
    };

    // Found by fuzzing (tests/fuzz.sh event, 5 min; inputs in tests/Fuzzing/regressions/event/): strings kept as JsonElement
    // were accepted with lone surrogates, and EventCodec.Encode of the document then threw JsonException.
    [Theory]
    [InlineData("{\"@context\":[\"https://ref.gs1\\ud800.org/\"],\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\"}")]
    [InlineData("{\"type\":\"EPCISDocument\",\"x\":{\"y\":[1,\"\\uDFFF\"]}}")]
    [InlineData("{\"type\":\"\\ud800EPCISDocument\"}")]
    [InlineData("{\"type\":\"EPCISDocument\",\"epcisBody\":{\"eventList\":[{\"type\":\"ObjectEvent\",\"ct:x\":\"a\\ud8e5f\"}]}}")]
    public void TryReadDocument_LoneSurrogateInKeptMember_MalformedNotAcceptedUnwritable(string json)
    {
        Assert.False(EventCodec.TryReadDocument(Encoding.UTF8.GetBytes(json), out var document, out var error));
        Assert.Null(document);
        Assert.Equal(EventError.MalformedJson, error);
    }

    [Fact]
    public void TryReadDocument_EscapedSurrogatePair_Accepted()
    {
        var json = "{\"type\":\"EPCISDocument\",\"x\":\"\\ud83d\\ude00\"}";

        Assert.True(EventCodec.TryReadDocument(Encoding.UTF8.GetBytes(json), out var document, out var error), error.ToString());
        Assert.Equal("\U0001F600", document!.Extensions!["x"].GetString());
        Assert.True(EventCodec.TryReadDocument(EventCodec.Encode(document), out var again, out error), error.ToString());
        Assert.Equal("\U0001F600", again!.Extensions!["x"].GetString());
    }

    [Theory]
    [MemberData(nameof(RawInputs))]
    public void TryDecode_RawInput_GivesReason(string json, EventError expected)
    {
        Assert.False(EventCodec.TryDecode(Encoding.UTF8.GetBytes(json), out var decoded, out var error));
        Assert.Null(decoded);
        Assert.Equal(expected, error);
    }

    public static TheoryData<CustodyEventKind, string, string, EventError> Mutations => new()
    {
        { CustodyEventKind.Dispensing, "schemaVersion", "\"1.2\"", EventError.NotEpcisDocument },
        { CustodyEventKind.Dispensing, "@context", "[\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"]", EventError.BadContext },
        { CustodyEventKind.Dispensing, "@context", "\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"", EventError.BadContext },
        { CustodyEventKind.Dispensing, "creationDate", "\"2026-01-02T03:04:05Z\"", EventError.BadTime },
        { CustodyEventKind.Dispensing, "ev.type", "\"AggregationEvent\"", EventError.NotObjectEvent },
        { CustodyEventKind.Dispensing, "ev.ct:seq", "\"42\"", EventError.WrongFieldType },
        { CustodyEventKind.Dispensing, "ev.ct:seq", "1.5", EventError.WrongFieldType },
        { CustodyEventKind.Dispensing, "ev.ct:seq", "-1", EventError.BadExtension },
        { CustodyEventKind.Dispensing, "ev.ct:seq", "9007199254740992", EventError.BadExtension },
        { CustodyEventKind.Dispensing, "ev.ct:seq", null!, EventError.MissingExtension },
        { CustodyEventKind.Dispensing, "ev.ct:deviceId", null!, EventError.MissingExtension },
        { CustodyEventKind.Dispensing, "ev.ct:prev", null!, EventError.MissingExtension },
        { CustodyEventKind.Dispensing, "ev.ct:bootId", null!, EventError.MissingExtension },
        { CustodyEventKind.Dispensing, "ev.ct:clockSynced", null!, EventError.MissingExtension },
        { CustodyEventKind.Dispensing, "ev.ct:deviceId", "\"site/7\"", EventError.BadExtension },
        { CustodyEventKind.Dispensing, "ev.ct:deviceId", "\"\"", EventError.BadExtension },
        { CustodyEventKind.Dispensing, "ev.ct:prev", "\"ABCDEF\"", EventError.BadExtension },
        { CustodyEventKind.Dispensing, "ev.ct:undoes", $"\"{EventId.Compute("x"u8)}\"", EventError.BadExtension },
        { CustodyEventKind.Dispensing, "ev.eventTime", "\"2026-01-02T03:04:05Z\"", EventError.BadTime },
        { CustodyEventKind.Dispensing, "ev.eventTime", "\"2026-01-02T04:04:05.678+01:00\"", EventError.BadTime },
        { CustodyEventKind.Dispensing, "ev.eventTime", "\"2026-02-30T03:04:05.678Z\"", EventError.BadTime },
        { CustodyEventKind.Dispensing, "ev.eventTime", null!, EventError.BadTime },
        { CustodyEventKind.Dispensing, "ev.eventTimeZoneOffset", "\"+01:00\"", EventError.BadTime },
        { CustodyEventKind.Dispensing, "ev.bizStep", "\"inspecting\"", EventError.UnknownBizStepDisposition },
        { CustodyEventKind.Dispensing, "ev.disposition", "\"recalled\"", EventError.UnknownBizStepDisposition },
        { CustodyEventKind.Dispensing, "ev.disposition", null!, EventError.UnknownBizStepDisposition },
        { CustodyEventKind.Dispensing, "ev.action", "\"ADD\"", EventError.BadAction },
        { CustodyEventKind.Destroying, "ev.action", "\"OBSERVE\"", EventError.BadAction },
        { CustodyEventKind.Dispensing, "ev.epcList", "[]", EventError.BadIdentifier },
        { CustodyEventKind.Dispensing, "ev.epcList", "[\"urn:epc:id:sgtin:0614141.107346.2017\"]", EventError.BadIdentifier },
        { CustodyEventKind.Dispensing, "ev.epcList", "[\"https://id.gs1.org/01/09506000134352/21/A\",\"https://id.gs1.org/01/09506000134352/21/A\"]", EventError.BadIdentifier },
        { CustodyEventKind.Dispensing, "ev.epcList", "[\"https://id.gs1.org/00/095060001343520017\",\"https://id.gs1.org/00/095060001343520024\"]", EventError.BadIdentifier },
        { CustodyEventKind.Dispensing, "ev.readPoint", null!, EventError.BadIdentifier },
        { CustodyEventKind.Dispensing, "ev.ilmd", "{\"cbvmda:lotNumber\":\"L1\"}", EventError.BadIlmd },
        { CustodyEventKind.Commissioning, "ev.ilmd", null!, EventError.BadIlmd },
        { CustodyEventKind.Commissioning, "ev.ilmd", "{\"cbvmda:lotNumber\":\"L1\",\"cbvmda:itemExpirationDate\":\"2027-13-01\"}", EventError.BadIlmd },
        { CustodyEventKind.Commissioning, "ev.ilmd", "{\"cbvmda:itemExpirationDate\":\"2027-12-01\"}", EventError.BadIlmd },
        { CustodyEventKind.Shipping, "ev.destinationList", null!, EventError.BadSourceOrDestination },
        { CustodyEventKind.Shipping, "ev.destinationList", "[{\"type\":\"possessing_party\",\"destination\":\"nope\"}]", EventError.BadSourceOrDestination },
        { CustodyEventKind.Receiving, "ev.sourceList", "[{\"type\":\"owning_party\",\"source\":\"https://id.gs1.org/414/9506000134376\"}]", EventError.BadSourceOrDestination },
        { CustodyEventKind.DispenseUndo, "ev.ct:undoes", null!, EventError.MissingExtension },
        { CustodyEventKind.DispenseUndo, "ev.ct:undoes", $"\"{new string('0', 64)}\"", EventError.BadExtension },
        { CustodyEventKind.Dispensing, "ev.sensorElementList", "[]", EventError.BadSensorReport },
        { CustodyEventKind.SensorReport, "ev.sensorElementList", null!, EventError.BadSensorReport },
        { CustodyEventKind.SensorReport, "ev.epcList", "[\"https://id.gs1.org/8004/95060001343ABC\",\"https://id.gs1.org/8004/95060001343ABD\"]", EventError.BadIdentifier },
        { CustodyEventKind.SensorReport, "report.uom", "\"FAH\"", EventError.BadSensorReport },
        { CustodyEventKind.SensorReport, "report.type", "\"Speed\"", EventError.BadSensorReport },
        { CustodyEventKind.SensorReport, "report.time", "\"2026-01-02T03:02:05Z\"", EventError.BadSensorReport },
        { CustodyEventKind.SensorReport, "report.time", null!, EventError.BadSensorReport },
        { CustodyEventKind.SensorReport, "report.ct:upperLimit", "8.0", EventError.BadSensorReport },
        { CustodyEventKind.SensorAlarm, "report.ct:lowerLimit", null!, EventError.BadSensorReport },
        { CustodyEventKind.SensorAlarm, "report.ct:lowerLimit", "9.0", EventError.BadSensorReport },
        { CustodyEventKind.SensorAlarm, "report.value", null!, EventError.BadSensorReport },
        { CustodyEventKind.SensorAlarm, "report.exception", "\"ERROR_CONDITION\"", EventError.BadSensorReport },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void TryDecode_MutatedEvent_GivesReason(CustodyEventKind kind, string member, string? json, EventError expected)
    {
        var node = JsonNode.Parse(EventCodec.Encode(EventFixtures.Example(kind)))!;
        var ev = node["epcisBody"]!["eventList"]![0]!.AsObject();
        var (target, name) = member.Split('.', 2) switch
        {
            ["ev", var n] => (ev, n),
            ["report", var n] => (ev["sensorElementList"]![0]!["sensorReport"]![0]!.AsObject(), n),
            [var n] => (node.AsObject(), n),
            _ => throw new ArgumentException(member),
        };
        if (json is null)
        {
            target.Remove(name);
        }
        else
        {
            target[name] = JsonNode.Parse(json);
        }

        Assert.False(EventCodec.TryDecode(Encoding.UTF8.GetBytes(node.ToJsonString()), out var decoded, out var error));
        Assert.Null(decoded);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void TryDecode_EventCountNotOne_GivesReason(int count)
    {
        var node = JsonNode.Parse(EventCodec.Encode(EventFixtures.Example(CustodyEventKind.Dispensing)))!;
        var ev = node["epcisBody"]!["eventList"]![0]!;
        node["epcisBody"]!["eventList"] = new JsonArray([.. Enumerable.Range(0, count).Select(_ => ev.DeepClone())]);

        Assert.False(EventCodec.TryDecode(Encoding.UTF8.GetBytes(node.ToJsonString()), out _, out var error));
        Assert.Equal(EventError.NotExactlyOneEvent, error);
    }

    [Fact]
    public void TryDecode_OverLimit_GivesTooLarge()
    {
        Assert.False(EventCodec.TryDecode(new byte[EventCodec.MaxPayloadBytes + 1], out _, out var error));
        Assert.Equal(EventError.TooLarge, error);
    }

    [Fact]
    public void TryDecode_GsTemperatureTerm_AcceptedAsTemperature()
    {
        var node = JsonNode.Parse(EventCodec.Encode(EventFixtures.Example(CustodyEventKind.SensorReport)))!;
        node["epcisBody"]!["eventList"]![0]!["sensorElementList"]![0]!["sensorReport"]![0]!["type"] = "gs1:Temperature";

        Assert.True(EventCodec.TryDecode(Encoding.UTF8.GetBytes(node.ToJsonString()), out _, out var error), error.ToString());
    }

    [Property(MaxTest = 500)]
    public bool TryDecode_RandomBytes_NeverThrows(byte[] junk)
    {
        var ok = EventCodec.TryDecode(junk, out var decoded, out var error);
        return ok == (decoded is not null) && ok == (error == EventError.None);
    }

    [Property(MaxTest = 500)]
    public bool TryDecode_CorruptedPayload_NeverThrows(NonNegativeInt position, byte value, int kindIndex)
    {
        var kinds = Enum.GetValues<CustodyEventKind>();
        var payload = EventCodec.Encode(EventFixtures.Example(kinds[Math.Abs(kindIndex % kinds.Length)]));
        payload[position.Get % payload.Length] = value;

        var ok = EventCodec.TryDecode(payload, out var decoded, out var error);
        return ok == (decoded is not null) && ok == (error == EventError.None);
    }

    [Property(MaxTest = 300)]
    public Property TryDecode_JsonShapedJunk_NeverThrows()
    {
        // Junk made of the document's own tokens reaches deeper than random bytes.
        string[] tokens =
        [
            "{", "}", "[", "]", ",", ":", "\"type\"", "\"EPCISDocument\"", "\"epcisBody\"", "\"eventList\"", "\"ObjectEvent\"",
            "\"ct:seq\"", "\"ct:prev\"", "\"sensorElementList\"", "\"sensorReport\"", "\"value\"", "1e400", "-0", "null", "true",
            "\"\\ud800\"", "\"@context\"", "\"schemaVersion\"", "\"2.0\"", "\"epcList\"", "\"https://x\"", "123456789012345678901234567890",
        ];
        var junk = Gen.ArrayOf(Gen.Elements(tokens)).Select(parts => Encoding.UTF8.GetBytes(string.Concat(parts)));
        return Prop.ForAll(Arb.From(junk), bytes =>
        {
            var ok = EventCodec.TryDecode(bytes, out var decoded, out var error);
            return ok == (decoded is not null) && ok == (error == EventError.None);
        });
    }

    private static CustodyEvent Decode(CustodyEventKind kind)
    {
        Assert.True(EventCodec.TryDecode(EventCodec.Encode(EventFixtures.Example(kind)), out var decoded, out var error), error.ToString());
        return decoded!;
    }
}
