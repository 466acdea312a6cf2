using System.Text.Json.Nodes;
using SupplyChain.Contracts.Events;

namespace SupplyChain.Contracts.Tests.Events;

public sealed class SensorExampleRoundTripTests
{
    private static readonly string[] ValueMembers = ["value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue"];
    private static readonly string[] TextMembers = ["time", "type", "uom", "exception", "component", "stringValue", "hexBinaryValue", "uriValue", "deviceID"];

    public static TheoryData<string> Examples =>
        [.. Directory.GetFiles(TestVectors.PathOf("epcis", "JSON", "WithSensorData"), "*.jsonld").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Examples))]
    public void ReadThenEncode_OfficialSensorExample_KeepsEverySensorValue(string file)
    {
        var original = File.ReadAllBytes(TestVectors.PathOf("epcis", "JSON", "WithSensorData", file));

        Assert.True(EventCodec.TryReadDocument(original, out var document, out var error), error.ToString());
        var written = EventCodec.Encode(document!);

        var before = ObjectEventReports(JsonNode.Parse(original)!);
        var after = ObjectEventReports(JsonNode.Parse(written)!);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            foreach (var member in ValueMembers)
            {
                Assert.Equal(before[i][member]?.GetValue<decimal>(), after[i][member]?.GetValue<decimal>());
            }

            foreach (var member in TextMembers)
            {
                Assert.Equal(before[i][member]?.GetValue<string>(), after[i][member]?.GetValue<string>());
            }

            Assert.Equal(before[i]["booleanValue"]?.GetValue<bool>(), after[i]["booleanValue"]?.GetValue<bool>());
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void ReadThenEncode_OfficialSensorExample_KeepsWholeDocument(string file)
    {
        var original = File.ReadAllBytes(TestVectors.PathOf("epcis", "JSON", "WithSensorData", file));

        Assert.True(EventCodec.TryReadDocument(original, out var document, out _));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(original), JsonNode.Parse(EventCodec.Encode(document!))));
    }

    [Fact]
    public void Examples_HoldObjectEventsWithSensorReports()
    {
        // Guards the harness: the loop above must have something to compare.
        var reports = Directory.GetFiles(TestVectors.PathOf("epcis", "JSON", "WithSensorData"), "*.jsonld")
            .Sum(f => ObjectEventReports(JsonNode.Parse(File.ReadAllBytes(f))!).Count);

        Assert.True(reports > 50, $"only {reports} sensor reports found");
    }

    private static List<JsonObject> ObjectEventReports(JsonNode document) =>
    [
        .. document["epcisBody"]!["eventList"]!.AsArray()
            .Where(e => e!["type"]!.GetValue<string>() == "ObjectEvent")
            .SelectMany(e => e!["sensorElementList"]?.AsArray() ?? [])
            .SelectMany(el => el!["sensorReport"]!.AsArray())
            .Select(r => r!.AsObject()),
    ];
}
