using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Custody;

namespace SupplyChain.Hub.Tests.Verification;

/// <summary>The verification API (DESIGN §6 "Verification") on the real hub, fed by enrolled MQTT devices.</summary>
public sealed class VerificationApiTests
{
    private const string Gtin = ChainDevice.Gtin;

    [Fact]
    public async Task Verify_GoodPack_VerifiedAndEveryProofChecksOffline()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        var indexes = await sites.DeliverToPharmacyAsync("S1", "S2");

        var answer = await VerifiedWhenCoveredAsync(hub, $"/v1/packs/{Gtin}/S1/verification?lot=L1&expiry=300131&site={ChainSites.PharmacyGln}");

        Assert.True(answer.GetProperty("verified").GetBoolean());
        Assert.Equal("active", answer.GetProperty("status").GetString());
        Assert.Empty(answer.GetProperty("reasons").EnumerateArray());
        Assert.Equal("L1", answer.GetProperty("lot").GetString());
        Assert.Equal("2030-01-31", answer.GetProperty("expiry").GetString());
        var custody = answer.GetProperty("custody");
        Assert.Equal(ChainDevice.UriOf(ChainSites.PharmacyGln), custody.GetProperty("custodian").GetString());
        Assert.Equal(2, custody.GetProperty("handoffs").GetInt32());
        Assert.False(answer.GetProperty("coldChain").GetProperty("profiled").GetBoolean());
        Assert.Equal(indexes, answer.GetProperty("proofs").EnumerateArray().Select(p => p.GetProperty("index").GetInt64()));
        await AssertProofsVerifyAsync(hub, answer);
    }

    [Fact]
    public async Task VerifyScan_RawGs1Scan_SameAnswerAsThePackEndpoint()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1");

        // A DataMatrix as scanners deliver it: AIM prefix, FNC1 as GS (0x1D) after the variable-length serial.
        var response = await hub.Http.PostAsJsonAsync("/v1/verify", new { scan = $"]d201{Gtin}21S1\u001d17300131" + "10L1", site = ChainSites.PharmacyGln });
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(answer.GetProperty("verified").GetBoolean());
        Assert.Equal(ChainDevice.Pack("S1"), answer.GetProperty("pack").GetString());
        Assert.Equal(5, answer.GetProperty("proofs").GetArrayLength());
    }

    [Fact]
    public async Task Verify_ReceiptAtWrongSite_CustodianUnchangedNotVerified()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.Maker.SendGreenAsync(sites.Maker.Commission("S1"));
        await sites.Maker.SendGreenAsync(sites.Maker.Ship(ChainSites.WholesalerGln, "S1"));
        await sites.OtherPharmacy.SendAsync(sites.OtherPharmacy.Receive(ChainSites.MakerGln, "S1"));

        var answer = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/packs/{Gtin}/S1/verification");

        var custody = answer.GetProperty("custody");
        Assert.Equal(ChainDevice.UriOf(ChainSites.MakerGln), custody.GetProperty("custodian").GetString());
        Assert.Equal(ChainDevice.UriOf(ChainSites.WholesalerGln), custody.GetProperty("shippedTo").GetString());
        Assert.Equal("in_transit", custody.GetProperty("lifecycle").GetString());
        Assert.True(custody.GetProperty("broken").GetBoolean());
        Assert.False(answer.GetProperty("verified").GetBoolean());
        Assert.Contains("custody_broken", Reasons(answer));
        // The red receipt is logged, so the answer relies on it and proves it too.
        Assert.Equal(3, answer.GetProperty("proofs").GetArrayLength());
    }

    [Fact]
    public async Task Verify_DoubleDispense_PackSuspect()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1");
        await sites.Pharmacy.SendGreenAsync(sites.Pharmacy.Dispense("S1"));
        await sites.Pharmacy.SendAsync(sites.Pharmacy.Dispense("S1"));

        var answer = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/packs/{Gtin}/S1/verification");

        Assert.False(answer.GetProperty("verified").GetBoolean());
        Assert.Equal("suspect", answer.GetProperty("status").GetString());
        Assert.Contains("suspect", Reasons(answer));
        Assert.Contains("already_dispensed", Reasons(answer));
    }

    [Fact]
    public async Task Verify_UnknownSerial_NotVerifiedNotAnError()
    {
        await using var hub = await RunningHub.StartAsync();

        var response = await hub.Http.GetAsync($"/v1/packs/{Gtin}/NOBODY/verification");
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(answer.GetProperty("verified").GetBoolean());
        Assert.Equal(["unknown_serial"], Reasons(answer));
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("custody").ValueKind);
        Assert.Empty(answer.GetProperty("proofs").EnumerateArray());
    }

    [Fact]
    public async Task Verify_EntryNotYetInACheckpoint_MarkedPending()
    {
        // A checkpoint period far longer than the test: the events are sequenced but no checkpoint covers them.
        await using var hub = await RunningHub.StartAsync(null, "--Log:CheckpointPeriod=00:10:00");
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.Maker.SendGreenAsync(sites.Maker.Commission("S1"));

        var answer = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/packs/{Gtin}/S1/verification");

        var proof = Assert.Single(answer.GetProperty("proofs").EnumerateArray());
        Assert.True(proof.GetProperty("pending").GetBoolean());
        Assert.Equal(JsonValueKind.Null, proof.GetProperty("bundle").ValueKind);
    }

    [Fact]
    public async Task Restart_StateRebuiltFromTheLog_SameAnswerAndNextEventJudgedOnIt()
    {
        var directory = Directory.CreateTempSubdirectory("coldtrace-hub-").FullName;
        string before;
        ChainSites sites;
        await using (var hub = await RunningHub.StartAsync(directory))
        {
            sites = await ChainSites.EnrolAsync(hub);
            await sites.DeliverToPharmacyAsync("S1", "S2");
            await sites.Pharmacy.SendGreenAsync(sites.Pharmacy.Dispense("S2"));
            await sites.OtherPharmacy.SendAsync(sites.OtherPharmacy.Dispense("S1"));
            before = Stable(await VerifiedWhenCoveredAsync(hub, $"/v1/packs/{Gtin}/S1/verification"));
        }

        await using var restarted = await RunningHub.StartAsync(directory);
        await sites.ReconnectAsync(restarted);
        var after = Stable(await VerifiedWhenCoveredAsync(restarted, $"/v1/packs/{Gtin}/S1/verification"));
        // Green only if the rebuilt state knows S1 is at this pharmacy; S2's second dispense red only if it knows S2 left.
        var dispense = await sites.Pharmacy.SendGreenAsync(sites.Pharmacy.Dispense("S1"));
        var again = await sites.Pharmacy.SendAsync(sites.Pharmacy.Dispense("S2"));
        await sites.DisposeAsync();

        Assert.Equal(before, after);
        Assert.Equal("green", dispense.Verdict);
        Assert.Equal(("red", "AlreadyDispensed,Suspect"), (again.Verdict, again.Detail));
    }

    [Fact]
    public async Task Verify_ExcursionAtThePharmacy_ColdChainCompromised()
    {
        const string profile = $"--ColdChain:Profiles:{Gtin}:";
        await using var hub = await RunningHub.StartAsync(
            null, profile + "LowerCelsius=2", profile + "UpperCelsius=8", profile + "MaxExcursion=00:30:00", profile + "AllowedUnknown=3650.00:00:00");
        await using var sites = await ChainSites.EnrolAsync(hub);
        await using var fridge = await ChainDevice.EnrolAsync(hub, "fridge-1", ChainSites.PharmacyGln, "sensor");
        await sites.DeliverToPharmacyAsync("S1");
        var healthy = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/packs/{Gtin}/S1/verification");

        // Readings every 10 minutes at 20 °C for two hours, in the pharmacy where S1 lies since 08:00.
        var start = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var samples = Enumerable.Range(0, 13).Select(i => new Contracts.Events.TemperatureSample(start.AddMinutes(10 * i), 20m)).ToList();
        var report = await fridge.SendAsync(fridge.Next((time, stamp) =>
            Contracts.Events.CustodyEvents.ReportTemperatures(start.AddHours(2), stamp, fridge.SiteUri, fridge.SiteUri, samples)));
        var answer = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/packs/{Gtin}/S1/verification");

        Assert.True(healthy.GetProperty("verified").GetBoolean());
        Assert.True(healthy.GetProperty("coldChain").GetProperty("profiled").GetBoolean());
        Assert.Equal("green", report.Verdict);
        var coldChain = answer.GetProperty("coldChain");
        Assert.True(coldChain.GetProperty("compromised").GetBoolean());
        Assert.Contains("single_excursion", coldChain.GetProperty("breaches").EnumerateArray().Select(b => b.GetString()));
        Assert.True(coldChain.GetProperty("exposure").GetProperty("longestExcursionMinutes").GetDouble() >= 120);
        Assert.False(answer.GetProperty("verified").GetBoolean());
        Assert.Equal("compromised", answer.GetProperty("status").GetString());
        Assert.Contains("cold_chain_compromised", Reasons(answer));
    }

    [Theory]
    [InlineData("/v1/packs/123/S1/verification", "Bad GTIN")]
    [InlineData("/v1/packs/09506000134353/S1/verification", "Bad GTIN")]
    [InlineData("/v1/packs/09506000134352/S%20%C3%A91/verification", "Bad serial")]
    [InlineData("/v1/packs/09506000134352/S1/verification?expiry=301399", "Bad expiry")]
    [InlineData("/v1/packs/09506000134352/S1/verification?expiry=tomorrow", "Bad expiry")]
    [InlineData("/v1/packs/09506000134352/S1/verification?site=9506000134384", "Bad site")]
    [InlineData("/v1/packs/09506000134352/S1/verification?lot=%C3%A9", "Bad lot")]
    public async Task VerifyPack_BadInput_ProblemDetails400(string path, string title)
    {
        await using var hub = await RunningHub.StartAsync();

        var response = await hub.Http.GetAsync(path);

        await AssertProblemAsync(response, title);
    }

    [Theory]
    [InlineData("{}", "No scan")]
    [InlineData("{\"scan\":\"\"}", "No scan")]
    [InlineData("{\"scan\":\"(01)09506000134353(21)S1\"}", "Bad scan")]
    [InlineData("{\"scan\":\"hello\"}", "Bad scan")]
    [InlineData("{\"scan\":\"(01)09506000134352\"}", "Not a serialized pack")]
    [InlineData("{\"scan\":\"(01)09506000134352(21)S1\",\"site\":\"12\"}", "Bad site")]
    public async Task VerifyScan_BadInput_ProblemDetails400(string body, string title)
    {
        await using var hub = await RunningHub.StartAsync();

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await hub.Http.PostAsync("/v1/verify", content);

        await AssertProblemAsync(response, title);
    }

    [Fact]
    public async Task VerifyScan_NotJson_400NotA500()
    {
        await using var hub = await RunningHub.StartAsync();

        using var content = new StringContent("{scan", System.Text.Encoding.UTF8, "application/json");
        var response = await hub.Http.PostAsync("/v1/verify", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Start_BadColdChainProfile_FailsNamingTheKey()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            RunningHub.StartAsync(null, "--ColdChain:Profiles:09506000134352:LowerCelsius=8", "--ColdChain:Profiles:09506000134352:UpperCelsius=2"));

        Assert.Contains("ColdChain:Profiles:09506000134352", error.Message, StringComparison.Ordinal);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string title)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    private static List<string> Reasons(JsonElement answer) =>
        [.. answer.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)];

    /// <summary>Asks until a checkpoint covers every entry the answer relied on (the hub checkpoints every 50 ms in tests).</summary>
    private static async Task<JsonElement> VerifiedWhenCoveredAsync(RunningHub hub, string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var answer = await hub.Http.GetFromJsonAsync<JsonElement>(path, timeout.Token);
            if (answer.GetProperty("proofs").EnumerateArray().All(p => !p.GetProperty("pending").GetBoolean()))
            {
                return answer;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Each bundle checks with the log's key alone against SHA-256(0x00 ‖ leaf) of the entry as the log stores it.</summary>
    private static async Task AssertProofsVerifyAsync(RunningHub hub, JsonElement answer)
    {
        var vkey = (await hub.Http.GetStringAsync("/v1/log/key")).Trim();
        Assert.Equal(vkey, answer.GetProperty("logKey").GetString());
        Assert.True(NoteVerifier.TryParse(vkey, out var verifier, out var reason), reason);
        foreach (var proof in answer.GetProperty("proofs").EnumerateArray())
        {
            var index = proof.GetProperty("index").GetInt64();
            var leaf = hub.Service<LogReader>().Entry(index)!.Leaf;
            var leafHash = SHA256.HashData([0x00, .. leaf]);
            Assert.Equal(Convert.ToBase64String(leafHash), proof.GetProperty("leafHash").GetString());
            Assert.True(TlogProof.TryParse(proof.GetProperty("bundle").GetString(), out var bundle, out reason), reason);
            var check = bundle!.Verify(leafHash, [verifier!]);
            Assert.True(check.IsValid, check.Reason);
            Assert.Equal(index, bundle.Index);
        }
    }

    /// <summary>The answer without what may move between two asks: proof bundles name the newest checkpoint.</summary>
    private static string Stable(JsonElement answer)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(answer.GetRawText())!.AsObject();
        foreach (var proof in copy["proofs"]!.AsArray())
        {
            proof!.AsObject().Remove("bundle");
        }

        return copy.ToJsonString();
    }
}
