using System.Text;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Custody;

public sealed class LogFactsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("manufacturer", SiteRole.Manufacturer)]
    [InlineData("warehouse", SiteRole.Wholesaler)]
    [InlineData("pharmacy", SiteRole.Pharmacy)]
    [InlineData("sensor", SiteRole.Sensor)]
    public void Read_EnrolmentDecision_DeviceEnrolledWithMappedRole(string role, SiteRole expected)
    {
        Assert.True(DeviceRoles.TryParse(role, out var deviceRole));
        var entry = Decision(DeviceDecision.Enrolled, deviceRole);

        var fact = Assert.IsType<DeviceEnrolled>(LogFacts.Read(entry));

        Assert.Equal("dev-1", fact.DeviceId);
        Assert.Equal("9506000134383", fact.Site.Value);
        Assert.Equal(expected, fact.Role);
        Assert.Equal("admin", fact.Actor);
        Assert.Equal(T0, fact.Time);
    }

    [Fact]
    public void Read_RevocationDecision_DeviceRevokedWithReason()
    {
        var fact = Assert.IsType<DeviceRevoked>(LogFacts.Read(Decision(DeviceDecision.Revoked, DeviceRole.Pharmacy, "stolen")));

        Assert.Equal("dev-1", fact.DeviceId);
        Assert.Equal("stolen", fact.Reason);
    }

    [Fact]
    public void Read_DeviceEventLeaf_FactWithTheEnvelopesEventId()
    {
        using var signer = DeviceSigner.Create();
        var stamp = new DeviceStamp("dev-1", 0, EventId.None, "boot-1", ClockSynced: true);
        var envelope = signer.Sign(EventCodec.Encode(CustodyEvents.Dispense(T0, stamp, "https://id.gs1.org/414/9506000134383", ["https://id.gs1.org/01/09506000134352/21/S1"])), EventVocabulary.PayloadType);
        var entry = new StoredEntry(7, LogLeaf.Encode(LogLeafKind.DeviceEvent, EnvelopeCodec.Encode(envelope)), []);

        var fact = Assert.IsType<DeviceEventFact>(LogFacts.Read(entry));

        Assert.Equal(envelope.EventId, fact.Id);
        Assert.Equal(CustodyEventKind.Dispensing, fact.Event.Kind);
        Assert.Equal("dev-1", fact.Event.Device.DeviceId);
    }

    [Theory]
    [InlineData("decision 42")]
    [InlineData("{\"type\":\"something.else\"}")]
    [InlineData("{\"type\":\"coldtrace.hub-decision.v1\",\"decision\":\"device_enrolled\",\"deviceId\":\"d\",\"publicKey\":\"\",\"keyId\":\"\",\"site\":\"123\",\"role\":\"pharmacy\",\"actor\":\"a\",\"time\":\"2026-03-01T08:00:00.000Z\"}")]
    public void Read_OtherHubDecision_NoFact(string body)
    {
        var entry = new StoredEntry(0, LogLeaf.Encode(LogLeafKind.HubDecision, Encoding.UTF8.GetBytes(body)), []);

        Assert.Null(LogFacts.Read(entry));
    }

    [Fact]
    public void Rules_CustodyEventFromSensorRole_RedRoleNotAllowed()
    {
        var rules = new CustodyRules();
        Assert.True(Gln.TryParse("9506000134376", out var site, out _));
        rules.Apply(new DeviceEnrolled("fridge-1", site, SiteRole.Sensor, "admin", T0));
        var stamp = new DeviceStamp("fridge-1", 0, EventId.None, "boot-1", ClockSynced: true);
        var commission = CustodyEvents.Commission(T0, stamp, "https://id.gs1.org/414/9506000134376", ["https://id.gs1.org/01/09506000134352/21/S1"], "L1", new DateOnly(2030, 1, 31));
        var report = CustodyEvents.ReportTemperatures(T0, stamp with { Seq = 1 }, "https://id.gs1.org/414/9506000134376", "https://id.gs1.org/414/9506000134376", [new TemperatureSample(T0, 5m)]);

        var custody = rules.Apply(new DeviceEventFact(EventId.Compute([1]), commission));
        var sensing = rules.Apply(new DeviceEventFact(EventId.Compute([2]), report));

        Assert.Equal(RuleReason.RoleNotAllowed, Assert.Single(custody.Findings).Reason);
        Assert.True(sensing.IsGreen);
    }

    private static StoredEntry Decision(string decision, DeviceRole role, string? reason = null)
    {
        Assert.True(DeviceId.TryParse("dev-1", out var id, out _));
        Assert.True(Gln.TryParse("9506000134383", out var site, out _));
        var record = new DeviceRecord(id, new byte[32], site, role, "hash", T0, 0);
        var body = DeviceDecision.For(decision, record, "admin", T0, reason).Encode();
        return new StoredEntry(0, LogLeaf.Encode(LogLeafKind.HubDecision, body), []);
    }
}
