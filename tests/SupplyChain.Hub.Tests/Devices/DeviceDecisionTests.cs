using System.Text;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Tests.Devices;

public sealed class DeviceDecisionTests
{
    // PROTOCOL.md §4.x "Hub decisions", with the RFC 8032 §7.1 TEST 1 public key of §3.7.
    private const string Example =
        """{"type":"coldtrace.hub-decision.v1","decision":"device_enrolled","deviceId":"pharmacy-7-scanner","publicKey":"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=","keyId":"21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9","site":"9506000134383","role":"pharmacy","actor":"alice","time":"2026-01-02T03:04:05.678Z"}""";

    private static DeviceRecord Rfc8032Device()
    {
        Assert.True(DeviceId.TryParse("pharmacy-7-scanner", out var id, out _));
        Assert.True(Gln.TryParse("9506000134383", out var site, out _));
        var key = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        return new DeviceRecord(id, key, site, DeviceRole.Pharmacy, "unused", DateTimeOffset.UnixEpoch, 0);
    }

    [Fact]
    public void Encode_Enrolment_IsTheProtocolExample()
    {
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

        var body = DeviceDecision.For(DeviceDecision.Enrolled, Rfc8032Device(), "alice", time).Encode();

        Assert.Equal(Example, Encoding.UTF8.GetString(body));
        Assert.Contains(Example, File.ReadAllText(ProtocolPath()), StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_Revocation_CarriesTheReason()
    {
        var body = DeviceDecision.For(DeviceDecision.Revoked, Rfc8032Device(), "bob", DateTimeOffset.UnixEpoch, "lost").Encode();

        var decoded = DeviceDecision.Decode(body)!;
        Assert.Equal((DeviceDecision.Revoked, "lost", "1970-01-01T00:00:00.000Z"), (decoded.Decision, decoded.Reason, decoded.Time));
    }

    private static string ProtocolPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "PROTOCOL.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/PROTOCOL.md not found above the test directory.");
    }
}
