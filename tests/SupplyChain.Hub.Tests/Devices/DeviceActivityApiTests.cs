using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SupplyChain.Hub.Tests.ColdChain;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Devices;

/// <summary><c>GET /v1/devices/activity</c> on the real hub: what the log holds of each enrolled device.</summary>
public sealed class DeviceActivityApiTests
{
    [Fact]
    public async Task Activity_Auditor_EventsLastSeqAndFaults()
    {
        await using var scenario = await ColdChainScenario.StartAsync();
        var sites = scenario.Sites;
        // A wholesaler receiving packs nobody shipped to it: red (unexpected_receipt).
        var red = await sites.Wholesaler.SendAsync(sites.Wholesaler.Receive(Custody.ChainSites.MakerGln, "S1"));
        // Not an envelope at all: rejected before the log (malformed_envelope), so only the ack says so.
        await sites.Wholesaler.Mqtt.PublishAsync("not an envelope"u8.ToArray());
        var rejected = Assert.Single((await sites.Wholesaler.Mqtt.NextAckAsync()).Acks);
        using var auditor = ApiUser.Add(scenario.Hub, "olga", "auditor");

        var answer = await auditor.Http.GetFromJsonAsync<JsonElement>("/v1/devices/activity");

        var devices = answer.GetProperty("devices").EnumerateArray().ToDictionary(d => d.GetProperty("id").GetString()!);
        Assert.Equal(["fridge-1", "maker-1", "pharmacy-1", "pharmacy-2", "wholesaler-1"], devices.Keys);
        var maker = devices["maker-1"];
        Assert.Equal((2L, 1L, "active", "manufacturer"), (maker.GetProperty("events").GetInt64(), maker.GetProperty("lastSeq").GetInt64(), maker.GetProperty("status").GetString(), maker.GetProperty("role").GetString()));
        var wholesaler = devices["wholesaler-1"];
        Assert.Equal((2L, 1L, red.Index), (wholesaler.GetProperty("events").GetInt64(), wholesaler.GetProperty("red").GetInt64(), wholesaler.GetProperty("lastIndex").GetInt64()));
        var fault = Assert.Single(wholesaler.GetProperty("faults").EnumerateArray());
        Assert.Equal(("red", red.Index), (fault.GetProperty("kind").GetString(), fault.GetProperty("index").GetInt64()));
        Assert.Contains("unexpected_receipt", fault.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var rejection = Assert.Single(wholesaler.GetProperty("rejections").EnumerateArray());
        Assert.Equal((1L, rejected.Reason), (wholesaler.GetProperty("rejected").GetInt64(), rejection.GetProperty("reason").GetString()));
        Assert.Equal("malformed_envelope", rejected.Reason);
        Assert.NotEqual(JsonValueKind.Null, wholesaler.GetProperty("lastAcceptedAt").ValueKind);
        var idle = devices["pharmacy-2"];
        Assert.Equal((0L, JsonValueKind.Null, JsonValueKind.Null), (idle.GetProperty("events").GetInt64(), idle.GetProperty("lastSeen").ValueKind, idle.GetProperty("lastAcceptedAt").ValueKind));
    }

    [Fact]
    public async Task Activity_PharmacistOrNoToken_Refused()
    {
        await using var hub = await RunningHub.StartAsync();
        using var pharmacist = ApiUser.Add(hub, "pia", "pharmacist");

        var forbidden = await pharmacist.Http.GetAsync(new Uri("/v1/devices/activity", UriKind.Relative));
        var anonymous = await hub.Http.GetAsync(new Uri("/v1/devices/activity", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
