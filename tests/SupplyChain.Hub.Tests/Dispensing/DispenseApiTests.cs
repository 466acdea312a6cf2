using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Dispensing;

/// <summary><c>POST /v1/dispense</c> and <c>/v1/dispense/undo</c> on the real hub (docs/API.md "Dispensing", PROTOCOL.md §4.6).</summary>
public sealed class DispenseApiTests
{
    private const string Gtin = ChainDevice.Gtin;

    [Fact]
    public async Task Dispense_PackAtThePharmacistsPharmacy_200DecisionLeafAndUndoRestores()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1");
        using var pia = ApiUser.Add(hub, "pia", "pharmacist");

        var dispensed = await pia.Http.PostAsJsonAsync("/v1/dispense", new { code = $"(01){Gtin}(21)S1" });
        var body = await dispensed.Content.ReadFromJsonAsync<JsonElement>();
        var again = await pia.Http.PostAsJsonAsync("/v1/dispense", new { code = ChainDevice.Pack("S1") });
        var undone = await pia.Http.PostAsJsonAsync("/v1/dispense/undo", new { code = $"01{Gtin}21S1" });
        var after = await (await pia.Http.PostAsJsonAsync("/v1/verify", new { scan = $"(01){Gtin}(21)S1", site = ChainSites.PharmacyGln })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, dispensed.StatusCode);
        Assert.Equal("dispensed", body.GetProperty("pack").GetProperty("status").GetString());
        var leaf = hub.Service<LogReader>().Entry(body.GetProperty("index").GetInt64())!.Leaf;
        Assert.Equal((byte)LogLeafKind.HubDecision, leaf[0]);
        var prefix = $"{{\"type\":\"coldtrace.hub-decision.v1\",\"decision\":\"pack_dispensed\",\"pack\":\"{ChainDevice.Pack("S1")}\",\"site\":\"{ChainSites.PharmacyGln}\",\"actor\":\"pia\",\"time\":\"";
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(prefix) + @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z""}$", System.Text.Encoding.UTF8.GetString(leaf.AsSpan(1)));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("already_dispensed", problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.OK, undone.StatusCode);
        // The second dispense was refused but is evidence of a possible copy: the pack stays suspect until quality releases it.
        Assert.Equal("suspect", after.GetProperty("status").GetString());
        Assert.Contains(after.GetProperty("proofs").EnumerateArray(), p => p.GetProperty("kind").GetString() == "hub_decision");
    }

    [Fact]
    public async Task Dispense_RecalledPack_409RecalledAndCountedInTheRecall()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1");
        using var pia = ApiUser.Add(hub, "pia", "pharmacist");
        Assert.True(Contracts.Gs1.Gtin.TryParse(Gtin, out var gtin, out _));
        var (made, _) = await hub.Service<RecallDesk>().OpenAsync(new LotRecallScope(gtin, ChainDevice.Lot), "notice", "qa", CancellationToken.None);

        var response = await pia.Http.PostAsJsonAsync("/v1/dispense", new { code = ChainDevice.Pack("S1") });
        var recall = await pia.Http.GetFromJsonAsync<JsonElement>($"/v1/recalls/{made!.Result.Id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Refused by the rules", problem.GetProperty("title").GetString());
        Assert.Equal(["recalled"], problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(1, recall.GetProperty("progress").GetProperty("dispensedAfter").GetInt32());
        Assert.Equal(0, recall.GetProperty("progress").GetProperty("stillDispensable").GetInt32());
    }

    [Fact]
    public async Task Dispense_PackHeldElsewhere_409NotReceivedAtThisSite()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1");
        using var otto = ApiUser.Add(hub, "otto", "pharmacist", ChainSites.OtherPharmacyGln);

        var response = await otto.Http.PostAsJsonAsync("/v1/dispense", new { code = ChainDevice.Pack("S1") });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("not_received_at_this_site", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("quality")]
    [InlineData("warehouse")]
    [InlineData("auditor")]
    public async Task Dispense_NotAPharmacist_403AndNothingLogged(string role)
    {
        await using var hub = await RunningHub.StartAsync();
        using var user = ApiUser.Add(hub, "someone", role, ChainSites.PharmacyGln);

        var response = await user.Http.PostAsJsonAsync("/v1/dispense", new { code = ChainDevice.Pack("S1") });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, hub.Service<ILogStore>().ReadState().SequencedSize);
    }

    [Theory]
    [InlineData("{}", "Bad code")]
    [InlineData("{\"code\": \"hello\"}", "Bad code")]
    [InlineData("{\"code\": \"(01)09506000134352\"}", "Bad code")]
    public async Task Dispense_BadBody_400ProblemAndNothingLogged(string json, string title)
    {
        await using var hub = await RunningHub.StartAsync();
        using var pia = ApiUser.Add(hub, "pia", "pharmacist");

        var response = await pia.Http.PostAsync("/v1/dispense", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(0, hub.Service<ILogStore>().ReadState().SequencedSize);
    }
}
