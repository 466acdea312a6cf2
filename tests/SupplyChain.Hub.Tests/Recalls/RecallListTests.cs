using System.Buffers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Ingest;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Recalls;

/// <summary>
/// The retained, hub-signed recall list of each site (PROTOCOL.md §5.6), as a real MQTT device of that site receives it
/// from the hub's embedded broker.
/// </summary>
public sealed class RecallListTests
{
    private static readonly object LotL1 = new { type = "lot", gtin = ChainDevice.Gtin, lot = "L1" };

    [Fact]
    public async Task OpenAndClose_EachSiteGetsItsSignedListOfExactlyItsRecalledPacks()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1", "S2");
        await sites.Pharmacy.SendGreenAsync(sites.Pharmacy.Dispense("S2"));
        await sites.Maker.SendGreenAsync(sites.Maker.Commission("S3", "S4"));
        using var anna = ApiUser.Add(hub, "anna", "quality");
        var verifier = await VerifierAsync(hub);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await sites.Pharmacy.Mqtt.SubscribeAsync(ColdTraceTopic.SiteRecalls(Gln(ChainSites.PharmacyGln))));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await sites.Maker.Mqtt.SubscribeAsync(ColdTraceTopic.SiteRecalls(Gln(ChainSites.MakerGln))));

        var opened = await (await anna.Http.PostAsJsonAsync("/v1/recalls", new { scope = LotL1, reason = "r" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = opened.GetProperty("recallId").GetString()!;
        var atPharmacy = await NextListAsync(sites.Pharmacy.Mqtt, verifier, ChainSites.PharmacyGln);
        var atMaker = await NextListAsync(sites.Maker.Mqtt, verifier, ChainSites.MakerGln);
        await anna.Http.PostAsJsonAsync($"/v1/recalls/{id}/close", new { reason = "done" });
        var afterClose = await NextListAsync(sites.Pharmacy.Mqtt, verifier, ChainSites.PharmacyGln);

        // S2 was dispensed before the recall: no longer at the counter, so not on the pharmacy's list.
        Assert.Equal([("S1", id)], Lines(atPharmacy));
        Assert.Equal([("S3", id), ("S4", id)], Lines(atMaker));
        Assert.True(atPharmacy.Version > opened.GetProperty("index").GetInt64());
        Assert.Empty(afterClose.Packs);
        Assert.True(afterClose.Version > atPharmacy.Version);
    }

    [Fact]
    public async Task Restart_OpenRecall_ListRepublishedAndRetainedForALateSubscriber()
    {
        var directory = Directory.CreateTempSubdirectory("coldtrace-hub-").FullName;
        ChainSites sites;
        RecallList before;
        string id;
        await using (var hub = await RunningHub.StartAsync(directory))
        {
            sites = await ChainSites.EnrolAsync(hub);
            await sites.DeliverToPharmacyAsync("S1", "S2");
            using var anna = ApiUser.Add(hub, "anna", "quality");
            id = (await (await anna.Http.PostAsJsonAsync("/v1/recalls", new { scope = LotL1, reason = "r" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recallId").GetString()!;
            // Subscribing after the publish: the broker hands over the retained list.
            await sites.Pharmacy.Mqtt.SubscribeAsync(ColdTraceTopic.SiteRecalls(Gln(ChainSites.PharmacyGln)));
            before = await NextListAsync(sites.Pharmacy.Mqtt, await VerifierAsync(hub), ChainSites.PharmacyGln);
        }

        await using var restarted = await RunningHub.StartAsync(directory);
        await sites.ReconnectAsync(restarted);
        await sites.Pharmacy.Mqtt.SubscribeAsync(ColdTraceTopic.SiteRecalls(Gln(ChainSites.PharmacyGln)));
        var after = await NextListAsync(sites.Pharmacy.Mqtt, await VerifierAsync(restarted), ChainSites.PharmacyGln);
        await sites.DisposeAsync();

        Assert.Equal([("S1", id), ("S2", id)], Lines(before));
        Assert.Equal(Lines(before), Lines(after));
        Assert.True(after.Version >= before.Version);
    }

    [Fact]
    public async Task Subscribe_AnotherSitesRecalls_Refused()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);

        var result = await sites.Pharmacy.Mqtt.SubscribeAsync(ColdTraceTopic.SiteRecalls(Gln(ChainSites.OtherPharmacyGln)));

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, result);
    }

    private static async Task<NoteVerifier> VerifierAsync(RunningHub hub)
    {
        var vkey = (await hub.Http.GetStringAsync("/v1/log/key")).Trim();
        Assert.True(NoteVerifier.TryParse(vkey, out var verifier, out var reason), reason);
        Assert.Equal(hub.Service<HubSigningKey>().VerifierKey, vkey);
        return verifier!;
    }

    /// <summary>The next message on the device's other topics, which must be its site's list, signed by the hub.</summary>
    private static async Task<RecallList> NextListAsync(MqttDevice device, NoteVerifier verifier, string site)
    {
        var message = await device.NextOtherAsync();
        Assert.Equal(ColdTraceTopic.SiteRecalls(Gln(site)), message.Topic);
        Assert.True(RecallList.TryOpen(Encoding.UTF8.GetString(message.Payload.ToArray()), verifier, out var list, out var reason), reason);
        Assert.Equal(site, list!.Site.Value);
        return list;
    }

    private static List<(string Serial, string RecallId)> Lines(RecallList list) =>
        [.. list.Packs.Select(p => (p.Pack.Serial.Value, p.RecallId))];

    private static Gln Gln(string text)
    {
        Assert.True(Contracts.Gs1.Gln.TryParse(text, out var gln, out var reason), reason);
        return gln;
    }
}
