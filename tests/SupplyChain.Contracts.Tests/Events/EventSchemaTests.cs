using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Contracts.Events;

namespace SupplyChain.Contracts.Tests.Events;

public sealed class EventSchemaTests
{
    [Theory]
    [MemberData(nameof(EventFixtures.Kinds), MemberType = typeof(EventFixtures))]
    public async Task Encode_EveryKind_ValidatesAgainstOfficialSchema(CustodyEventKind kind)
    {
        var json = Encoding.UTF8.GetString(EventCodec.Encode(EventFixtures.Example(kind)));

        Assert.Empty(await EpcisSchema.ValidateAsync(json));
    }

    [Fact]
    public async Task Validate_CommissioningWithObserveAction_IsRejected()
    {
        // Guards the harness: EPCIS 2.0 allows ilmd only with action ADD, so the schema must catch this.
        var node = JsonNode.Parse(EventCodec.Encode(EventFixtures.Example(CustodyEventKind.Commissioning)))!;
        node["epcisBody"]!["eventList"]![0]!["action"] = "OBSERVE";

        Assert.NotEmpty(await EpcisSchema.ValidateAsync(node.ToJsonString()));
    }

    [Fact]
    public async Task Validate_BadTimeZoneOffset_IsRejected()
    {
        var node = JsonNode.Parse(EventCodec.Encode(EventFixtures.Example(CustodyEventKind.Dispensing)))!;
        node["epcisBody"]!["eventList"]![0]!["eventTimeZoneOffset"] = "+25:00";

        Assert.NotEmpty(await EpcisSchema.ValidateAsync(node.ToJsonString()));
    }

    [Fact]
    public async Task Validate_TextualSensorValue_IsRejected()
    {
        var node = JsonNode.Parse(EventCodec.Encode(EventFixtures.Example(CustodyEventKind.SensorReport)))!;
        node["epcisBody"]!["eventList"]![0]!["sensorElementList"]![0]!["sensorReport"]![0]!["value"] = "six";

        Assert.NotEmpty(await EpcisSchema.ValidateAsync(node.ToJsonString()));
    }

    [Fact]
    public async Task Validate_UnprefixedExtensionMember_IsRejected()
    {
        // EPCIS 2.0 §9.3: user extensions must be namespaced; the schema enforces it through propertyNames.
        var node = JsonNode.Parse(EventCodec.Encode(EventFixtures.Example(CustodyEventKind.Dispensing)))!;
        node["epcisBody"]!["eventList"]![0]!["deviceId"] = "x";

        Assert.NotEmpty(await EpcisSchema.ValidateAsync(node.ToJsonString()));
    }

    public static TheoryData<string> SensorExamples =>
        [.. Directory.GetFiles(TestVectors.PathOf("epcis", "JSON", "WithSensorData"), "*.jsonld").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(SensorExamples))]
    public async Task Validate_OfficialSensorExamples_HaveNoErrors(string file)
    {
        var json = await File.ReadAllTextAsync(TestVectors.PathOf("epcis", "JSON", "WithSensorData", file));

        Assert.Empty(await EpcisSchema.ValidateAsync(json));
    }
}
