using System.Text;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Contracts.Tests.Topics;

public sealed class StationStatusTests
{
    // The example of PROTOCOL.md §5.8, byte for byte.
    private const string Documented =
        """{"device":"dock-7","time":"2026-11-24T08:00:00+00:00","clockSynced":true,"custodyBacklog":2,"sensorBacklog":14,"oldestWaiting":"2026-11-24T07:41:12+00:00","rejected":1,"sensorFaults":[{"sensor":"fridge-probe","count":3,"lastFault":"crc_error"}],"agentVersion":"1.4.0"}""";

    private static StationStatus Sample() => new()
    {
        Device = "dock-7",
        Time = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero),
        ClockSynced = true,
        CustodyBacklog = 2,
        SensorBacklog = 14,
        OldestWaiting = new DateTimeOffset(2026, 11, 24, 7, 41, 12, TimeSpan.Zero),
        Rejected = 1,
        SensorFaults = [new StationSensorFaults { Sensor = "fridge-probe", Count = 3, LastFault = "crc_error" }],
        AgentVersion = "1.4.0",
    };

    [Fact]
    public void Encode_Sample_DocumentedJson()
    {
        Assert.Equal(Documented, Encoding.UTF8.GetString(StationStatus.Encode(Sample())));
    }

    [Fact]
    public void TryDecode_DocumentedJson_EveryMember()
    {
        Assert.True(StationStatus.TryDecode(Encoding.UTF8.GetBytes(Documented), out var status, out var error));

        Assert.Equal(StationStatusError.None, error);
        Assert.Equal(Sample() with { SensorFaults = status!.SensorFaults }, status);
        Assert.Equal(Sample().SensorFaults.Single(), Assert.Single(status.SensorFaults));
    }

    [Fact]
    public void TryDecode_NothingWaitingUnknownMember_OldestAbsentAndAccepted()
    {
        var json = """{"device":"a","time":"2026-11-24T08:00:00Z","clockSynced":false,"custodyBacklog":0,"sensorBacklog":0,"rejected":0,"sensorFaults":[],"agentVersion":"1","later":42}""";

        Assert.True(StationStatus.TryDecode(Encoding.UTF8.GetBytes(json), out var status, out _));

        Assert.Null(status!.OldestWaiting);
        Assert.Empty(status.SensorFaults);
    }

    [Theory]
    [InlineData("not json", StationStatusError.NotJson)]
    [InlineData("", StationStatusError.NotJson)]
    [InlineData("null", StationStatusError.NotJson)]
    [InlineData("[]", StationStatusError.NotJson)]
    [InlineData("""{"device":"a"}""", StationStatusError.NotJson)]
    [InlineData("""{"device":"a","time":"yesterday","clockSynced":true,"custodyBacklog":0,"sensorBacklog":0,"rejected":0,"sensorFaults":[],"agentVersion":"1"}""", StationStatusError.NotJson)]
    [InlineData("""{"device":null,"time":"2026-11-24T08:00:00Z","clockSynced":true,"custodyBacklog":0,"sensorBacklog":0,"rejected":0,"sensorFaults":[],"agentVersion":"1"}""", StationStatusError.NotJson)]
    [InlineData("""{"device":"a","device":"b","time":"2026-11-24T08:00:00Z","clockSynced":true,"custodyBacklog":0,"sensorBacklog":0,"rejected":0,"sensorFaults":[],"agentVersion":"1"}""", StationStatusError.NotJson)]
    [InlineData("""{"device":"a/b","time":"2026-11-24T08:00:00Z","clockSynced":true,"custodyBacklog":0,"sensorBacklog":0,"rejected":0,"sensorFaults":[],"agentVersion":"1"}""", StationStatusError.BadDevice)]
    [InlineData("""{"device":"a","time":"2026-11-24T08:00:00Z","clockSynced":true,"custodyBacklog":-1,"sensorBacklog":0,"rejected":0,"sensorFaults":[],"agentVersion":"1"}""", StationStatusError.BadCount)]
    [InlineData("""{"device":"a","time":"2026-11-24T08:00:00Z","clockSynced":true,"custodyBacklog":0,"sensorBacklog":0,"rejected":0,"sensorFaults":[{"sensor":"s","count":-2,"lastFault":"x"}],"agentVersion":"1"}""", StationStatusError.BadCount)]
    [InlineData("""{"device":"a","time":"2026-11-24T08:00:00Z","clockSynced":true,"custodyBacklog":0,"sensorBacklog":0,"rejected":0,"sensorFaults":[{"sensor":"","count":1,"lastFault":"x"}],"agentVersion":"1"}""", StationStatusError.BadText)]
    [InlineData("{\"\\ud800\":1,\"\\udc00\":2,\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11}", StationStatusError.NotJson)]
    [InlineData("""{"device":"\ud800","time":"2026-11-24T08:00:00Z","clockSynced":true,"custodyBacklog":0,"sensorBacklog":0,"rejected":0,"sensorFaults":[],"agentVersion":"1"}""", StationStatusError.NotJson)]
    public void TryDecode_Malformed_FalseWithReason(string json, StationStatusError expected)
    {
        Assert.False(StationStatus.TryDecode(Encoding.UTF8.GetBytes(json), out var status, out var error));

        Assert.Null(status);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryDecode_TooManySensors_Refused()
    {
        var many = Sample() with
        {
            SensorFaults = [.. Enumerable.Range(0, StationStatus.MaxSensors + 1).Select(i => new StationSensorFaults { Sensor = $"s{i}", Count = 1, LastFault = "timeout" })],
        };

        Assert.False(StationStatus.TryDecode(StationStatus.Encode(many), out _, out var error));

        Assert.Equal(StationStatusError.TooManySensors, error);
    }

    [Fact]
    public void TryDecode_LongerThanMaxBytes_TooLargeBeforeParsing()
    {
        var padded = Encoding.UTF8.GetBytes(Documented[..^1] + ",\"pad\":\"" + new string('x', StationStatus.MaxBytes) + "\"}");

        Assert.False(StationStatus.TryDecode(padded, out _, out var error));

        Assert.Equal(StationStatusError.TooLarge, error);
    }

    [Fact]
    public void TryDecode_LongVersion_BadText()
    {
        var json = StationStatus.Encode(Sample() with { AgentVersion = new string('v', StationStatus.MaxText + 1) });

        Assert.False(StationStatus.TryDecode(json, out _, out var error));

        Assert.Equal(StationStatusError.BadText, error);
    }
}
