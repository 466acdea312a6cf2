using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Recalls;

/// <summary>Recalls and quarantine releases on the real hub, fed by enrolled MQTT devices (DESIGN §6 "Recalls").</summary>
public sealed class RecallApiTests
{
    private const string Gtin = ChainDevice.Gtin;
    private const string Container = "https://id.gs1.org/00/006141411234567890";

    private static readonly object LotL1 = new { type = "lot", gtin = Gtin, lot = "L1" };

    [Fact]
    public async Task OpenByLot_PackAtPharmacy_NotVerifiedAndDispenseAckRed()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1", "S2");
        await sites.Maker.SendGreenAsync(sites.Maker.Next((time, stamp) =>
            CustodyEvents.Commission(time, stamp, sites.Maker.SiteUri, [ChainDevice.Pack("S9")], "L2", ChainDevice.Expiry)));
        using var anna = ApiUser.Add(hub, "anna", "quality");

        var response = await anna.Http.PostAsJsonAsync("/v1/recalls", new { scope = LotL1, reason = "supplier notice 42" });
        var opened = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = opened.GetProperty("recallId").GetString()!;
        var verification = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/packs/{Gtin}/S1/verification?site={ChainSites.PharmacyGln}");
        var other = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/packs/{Gtin}/S9/verification");
        var dispense = await sites.Pharmacy.SendAsync(sites.Pharmacy.Dispense("S1"));
        var recall = await anna.Http.GetFromJsonAsync<JsonElement>($"/v1/recalls/{id}");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/recalls/{id}", response.Headers.Location?.OriginalString);
        Assert.Matches("^R-[0-9]{8}-[0-9A-F]{6}$", id);
        // The decision is a hub-decision leaf at the returned index, naming the signed-in user.
        var leaf = hub.Service<LogReader>().Entry(opened.GetProperty("index").GetInt64())!.Leaf;
        Assert.Equal((byte)LogLeafKind.HubDecision, leaf[0]);
        var decision = JsonDocument.Parse(leaf.AsMemory(1)).RootElement;
        Assert.Equal(("recall_opened", id, "anna", "supplier notice 42"), (decision.GetProperty("decision").GetString(), decision.GetProperty("recallId").GetString(), decision.GetProperty("actor").GetString(), decision.GetProperty("reason").GetString()));

        Assert.False(verification.GetProperty("verified").GetBoolean());
        Assert.Equal("recalled", verification.GetProperty("status").GetString());
        Assert.Contains("recalled", Reasons(verification));
        Assert.True(other.GetProperty("verified").GetBoolean());
        Assert.Equal(("red", AckStatus.Accepted), (dispense.Verdict, dispense.Status));
        Assert.Contains("Recalled", dispense.Detail, StringComparison.Ordinal);

        var progress = recall.GetProperty("progress");
        Assert.Equal("open", recall.GetProperty("status").GetString());
        Assert.Equal((2, 2, 1, 0), (progress.GetProperty("packs").GetInt32(), progress.GetProperty("quarantined").GetInt32(), progress.GetProperty("dispensedAfter").GetInt32(), progress.GetProperty("stillDispensable").GetInt32()));
        var group = Assert.Single(recall.GetProperty("sites").EnumerateArray());
        Assert.Equal(ChainSites.PharmacyGln, group.GetProperty("site").GetString());
        Assert.Equal([ChainDevice.Pack("S1"), ChainDevice.Pack("S2")], group.GetProperty("packs").EnumerateArray().Select(p => p.GetProperty("pack").GetString()));
        Assert.Equal([1, 0], group.GetProperty("packs").EnumerateArray().Select(p => p.GetProperty("dispenseAttemptsAfter").GetInt32()));
    }

    [Fact]
    public async Task Preview_ThenOpen_SamePacksAndSitesAndPreviewLogsNothing()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1", "S2");
        await sites.Maker.SendGreenAsync(sites.Maker.Commission("S3"));
        await sites.Maker.SendGreenAsync(sites.Maker.Ship(ChainSites.WholesalerGln, "S3"));
        using var anna = ApiUser.Add(hub, "anna", "quality");
        var before = hub.Service<ILogStore>().ReadState().SequencedSize;

        var preview = await (await anna.Http.PostAsJsonAsync("/v1/recalls/preview", new { scope = LotL1 })).Content.ReadFromJsonAsync<JsonElement>();
        var after = hub.Service<ILogStore>().ReadState().SequencedSize;
        var opened = await (await anna.Http.PostAsJsonAsync("/v1/recalls", new { scope = LotL1, reason = "r" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(before, after);
        Assert.Equal(3, preview.GetProperty("packs").GetInt32());
        // S3 is in transit from the maker to the wholesaler: both are told.
        Assert.Equal([ChainSites.MakerGln, ChainSites.PharmacyGln, ChainSites.WholesalerGln], preview.GetProperty("sitesToNotify").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(Groups(preview.GetProperty("sites")), Groups(opened.GetProperty("recall").GetProperty("sites")));
        Assert.Equal(3, opened.GetProperty("recall").GetProperty("progress").GetProperty("packs").GetInt32());
    }

    [Fact]
    public async Task Scopes_SerialsContainerExposure_CoverTheRightPacks()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1", "S2");
        await sites.Maker.SendGreenAsync(sites.Maker.Commission("C1", "C2"));
        await sites.Maker.SendGreenAsync(sites.Maker.Next((time, stamp) =>
            CustodyEvents.Ship(time, stamp, sites.Maker.SiteUri, [ChainDevice.Pack("C1"), ChainDevice.Pack("C2")], ChainDevice.UriOf(ChainSites.WholesalerGln), Container)));
        using var auditor = ApiUser.Add(hub, "carl", "auditor");

        var serials = await PreviewPacksAsync(auditor, new { type = "serials", gtin = Gtin, serials = new[] { "S2" }, packs = new[] { $"(01){Gtin}(21)C1", ChainDevice.Pack("NEVER") } });
        var container = await PreviewPacksAsync(auditor, new { type = "container", sscc = "006141411234567890" });
        var atWholesaler = await PreviewPacksAsync(auditor, new { type = "exposure", location = ChainSites.WholesalerGln, from = "2026-03-01T07:00:00Z", to = "2026-03-01T10:00:00+01:00" });
        var inContainer = await PreviewPacksAsync(auditor, new { type = "exposure", sscc = "006141411234567890", from = "2026-03-01T07:00:00Z", to = "2026-03-02T00:00:00Z" });
        var before = await PreviewPacksAsync(auditor, new { type = "exposure", location = ChainSites.PharmacyGln, from = "2026-02-01T00:00:00Z", to = "2026-02-02T00:00:00Z" });

        Assert.Equal(["C1", "S2"], serials);
        Assert.Equal(["C1", "C2"], container);
        Assert.Equal(["S1", "S2"], atWholesaler);
        Assert.Equal(["C1", "C2"], inContainer);
        Assert.Empty(before);
    }

    [Theory]
    [InlineData("{}", "No scope")]
    [InlineData("{\"scope\":{\"type\":\"batch\"}}", "Bad scope")]
    [InlineData("{\"scope\":{\"type\":\"lot\",\"lot\":\"L1\"}}", "Bad scope")]
    [InlineData("{\"scope\":{\"type\":\"lot\",\"gtin\":\"09506000134353\",\"lot\":\"L1\"}}", "Bad scope")]
    [InlineData("{\"scope\":{\"type\":\"serials\",\"serials\":[]}}", "Bad scope")]
    [InlineData("{\"scope\":{\"type\":\"serials\",\"packs\":[\"hello\"]}}", "Bad scope")]
    [InlineData("{\"scope\":{\"type\":\"container\",\"sscc\":\"006141411234567891\"}}", "Bad scope")]
    [InlineData("{\"scope\":{\"type\":\"exposure\",\"location\":\"9506000134383\",\"from\":\"2026-03-02T00:00:00Z\",\"to\":\"2026-03-01T00:00:00Z\"}}", "Bad scope")]
    [InlineData("{\"scope\":{\"type\":\"exposure\",\"location\":\"9506000134383\",\"from\":\"2026-03-01T00:00:00\",\"to\":\"2026-03-02T00:00:00Z\"}}", "Bad scope")]
    [InlineData("{\"scope\":{\"type\":\"exposure\",\"location\":\"9506000134383\",\"sscc\":\"006141411234567890\",\"from\":\"2026-03-01T00:00:00Z\",\"to\":\"2026-03-02T00:00:00Z\"}}", "Bad scope")]
    [InlineData("{\"scope\":{\"type\":\"lot\",\"gtin\":\"09506000134352\",\"lot\":\"L1\"}}", "Reason required")]
    [InlineData("{\"scope\":{\"type\":\"lot\",\"gtin\":\"09506000134352\",\"lot\":\"L1\"},\"reason\":\"  \"}", "Reason required")]
    public async Task Open_BadRequest_ProblemDetails400AndNothingLogged(string body, string title)
    {
        await using var hub = await RunningHub.StartAsync();
        using var anna = ApiUser.Add(hub, "anna", "quality");

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await anna.Http.PostAsync("/v1/recalls", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(0, hub.Service<ILogStore>().ReadState().SequencedSize);
    }

    [Fact]
    public async Task Close_OpenRecall_PacksVerifiableAgainSecondCloseConflicts()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1");
        using var anna = ApiUser.Add(hub, "anna", "quality");
        var id = (await (await anna.Http.PostAsJsonAsync("/v1/recalls", new { scope = LotL1, reason = "r" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recallId").GetString();

        var noReason = await anna.Http.PostAsJsonAsync($"/v1/recalls/{id}/close", new { });
        var closed = await anna.Http.PostAsJsonAsync($"/v1/recalls/{id}/close", new { reason = "supplier withdrew the notice" });
        var again = await anna.Http.PostAsJsonAsync($"/v1/recalls/{id}/close", new { reason = "twice" });
        var unknown = await anna.Http.PostAsJsonAsync("/v1/recalls/R-00000000-000000/close", new { reason = "r" });
        var verification = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/packs/{Gtin}/S1/verification?site={ChainSites.PharmacyGln}");
        var list = await anna.Http.GetFromJsonAsync<JsonElement>("/v1/recalls");

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var recall = (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recall");
        Assert.Equal(("closed", "anna", "supplier withdrew the notice"), (recall.GetProperty("status").GetString(), recall.GetProperty("closedBy").GetString(), recall.GetProperty("closeReason").GetString()));
        Assert.Equal(1, recall.GetProperty("progress").GetProperty("packs").GetInt32());
        Assert.Equal(1, recall.GetProperty("progress").GetProperty("stillDispensable").GetInt32());
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.NotFound), (again.StatusCode, unknown.StatusCode));
        Assert.True(verification.GetProperty("verified").GetBoolean());
        var only = Assert.Single(list.GetProperty("recalls").EnumerateArray());
        Assert.Equal("closed", only.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, only.GetProperty("sites").ValueKind);
    }

    [Fact]
    public async Task Csv_OpenRecall_OneQuotedRowPerPack()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1", "-S2");
        using var anna = ApiUser.Add(hub, "anna", "quality");
        using var walt = ApiUser.Add(hub, "walt", "warehouse");
        var id = (await (await anna.Http.PostAsJsonAsync("/v1/recalls", new { scope = LotL1, reason = "r" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recallId").GetString();

        var response = await walt.Http.GetAsync($"/v1/recalls/{id}/packs.csv");
        var missing = await walt.Http.GetAsync("/v1/recalls/R-00000000-000000/packs.csv");
        var rows = (await response.Content.ReadAsStringAsync()).Split("\r\n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("recall_id,gtin,serial,lot,expiry,status,progress,custodian,shipped_to,location,dispense_attempts_after,dispensable", rows[0]);
        // Serials sort ordinally ('-' before 'S'); a leading '-' is defused for spreadsheets.
        Assert.Equal($"\"{id}\",\"{Gtin}\",\"'-S2\",\"L1\",\"2030-01-31\",\"recalled\",\"quarantined\",\"{ChainSites.PharmacyGln}\",\"\",\"https://id.gs1.org/414/{ChainSites.PharmacyGln}\",\"0\",\"false\"", rows[1]);
        Assert.StartsWith($"\"{id}\",\"{Gtin}\",\"S1\",", rows[2], StringComparison.Ordinal);
        Assert.Equal([""], rows[3..]);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Release_CompromisedPackWithReason_VerifiableAgain()
    {
        const string profile = $"--ColdChain:Profiles:{Gtin}:";
        await using var hub = await RunningHub.StartAsync(
            null, profile + "LowerCelsius=2", profile + "UpperCelsius=8", profile + "MaxExcursion=00:30:00", profile + "AllowedUnknown=3650.00:00:00");
        await using var sites = await ChainSites.EnrolAsync(hub);
        await using var fridge = await ChainDevice.EnrolAsync(hub, "fridge-1", ChainSites.PharmacyGln, "sensor");
        await sites.DeliverToPharmacyAsync("S1");
        var start = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var samples = Enumerable.Range(0, 13).Select(i => new TemperatureSample(start.AddMinutes(10 * i), 20m)).ToList();
        await fridge.SendGreenAsync(fridge.Next((_, stamp) => CustodyEvents.ReportTemperatures(start.AddHours(2), stamp, fridge.SiteUri, fridge.SiteUri, samples)));
        using var anna = ApiUser.Add(hub, "anna", "quality");
        var compromised = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/packs/{Gtin}/S1/verification?site={ChainSites.PharmacyGln}");

        var noReason = await anna.Http.PostAsJsonAsync("/v1/quarantine/release", new { gtin = Gtin, serials = new[] { "S1" } });
        var unknown = await anna.Http.PostAsJsonAsync("/v1/quarantine/release", new { gtin = Gtin, serials = new[] { "S1", "NEVER" }, reason = "r" });
        var released = await anna.Http.PostAsJsonAsync("/v1/quarantine/release", new { packs = new[] { $"(01){Gtin}(21)S1" }, reason = "stability data covers 2 h at 20 °C" });
        var verification = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/packs/{Gtin}/S1/verification?site={ChainSites.PharmacyGln}");

        Assert.Equal("compromised", compromised.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("Unknown pack", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        var body = await released.Content.ReadFromJsonAsync<JsonElement>();
        var pack = Assert.Single(body.GetProperty("packs").EnumerateArray());
        Assert.True(pack.GetProperty("verified").GetBoolean());
        Assert.True(verification.GetProperty("verified").GetBoolean());
        Assert.Equal("active", verification.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, verification.GetProperty("coldChain").GetProperty("releasedTime").ValueKind);
        var leaf = hub.Service<LogReader>().Entry(body.GetProperty("index").GetInt64())!.Leaf;
        var decision = JsonDocument.Parse(leaf.AsMemory(1)).RootElement;
        Assert.Equal(("quarantine_released", "anna", "stability data covers 2 h at 20 °C"), (decision.GetProperty("decision").GetString(), decision.GetProperty("actor").GetString(), decision.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Restart_OpenRecall_RebuiltFromTheLog()
    {
        var directory = Directory.CreateTempSubdirectory("coldtrace-hub-").FullName;
        string id;
        JsonElement before;
        ChainSites sites;
        string token;
        await using (var hub = await RunningHub.StartAsync(directory))
        {
            sites = await ChainSites.EnrolAsync(hub);
            await sites.DeliverToPharmacyAsync("S1");
            using var anna = ApiUser.Add(hub, "anna", "quality");
            token = anna.Token;
            id = (await (await anna.Http.PostAsJsonAsync("/v1/recalls", new { scope = LotL1, reason = "r" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recallId").GetString()!;
            await sites.Pharmacy.SendAsync(sites.Pharmacy.Dispense("S1"));
            before = await anna.Http.GetFromJsonAsync<JsonElement>($"/v1/recalls/{id}");
        }

        await using var restarted = await RunningHub.StartAsync(directory);
        using var again = ApiUser.WithToken(restarted, "anna", token);
        var after = await again.Http.GetFromJsonAsync<JsonElement>($"/v1/recalls/{id}");
        await sites.DisposeAsync();

        Assert.Equal(before.GetRawText(), after.GetRawText());
        Assert.Equal(1, after.GetProperty("progress").GetProperty("dispensedAfter").GetInt32());
    }

    private static async Task<List<string>> PreviewPacksAsync(ApiUser user, object scope)
    {
        var response = await user.Http.PostAsJsonAsync("/v1/recalls/preview", new { scope });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. preview.GetProperty("sites").EnumerateArray().SelectMany(g => g.GetProperty("packs").EnumerateArray()).Select(p => p.GetProperty("serial").GetString()!).Order(StringComparer.Ordinal)];
    }

    private static List<string> Groups(JsonElement sites) =>
        [.. sites.EnumerateArray().Select(g => g.GetProperty("site").GetString() + ":" + string.Join(' ', g.GetProperty("packs").EnumerateArray().Select(p => p.GetProperty("serial").GetString())))];

    private static List<string> Reasons(JsonElement answer) =>
        [.. answer.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)];
}
