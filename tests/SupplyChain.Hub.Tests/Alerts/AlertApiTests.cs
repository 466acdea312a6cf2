using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Alerts;

/// <summary><c>GET /v1/alerts</c> on the real hub: alerts raised by real device events, newest first, for signed-in users.</summary>
public sealed class AlertApiTests
{
    [Fact]
    public async Task List_SecondDispenseOfOneSerial_RedAlreadyDispensedAndSuspect()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1", "S2");
        await sites.Pharmacy.SendGreenAsync(sites.Pharmacy.Dispense("S1"));
        var second = await sites.Pharmacy.SendAsync(sites.Pharmacy.Dispense("S1"));
        using var auditor = ApiUser.Add(hub, "olga", "auditor");

        var page = await auditor.Http.GetFromJsonAsync<JsonElement>("/v1/alerts");

        Assert.Equal("red", second.Verdict);
        var alerts = page.GetProperty("alerts").EnumerateArray().ToList();
        var raised = alerts.Where(a => a.GetProperty("index").GetInt64() == second.Index).ToList();
        Assert.Contains(raised, a => a.GetProperty("reason").GetString() == "already_dispensed" && a.GetProperty("kind").GetString() == "red");
        Assert.Contains(raised, a => a.GetProperty("reason").GetString() == "suspect" && a.GetProperty("kind").GetString() == "red");
        Assert.All(raised, a => Assert.Equal((ChainDevice.Pack("S1"), sites.Pharmacy.Id), (a.GetProperty("pack").GetString(), a.GetProperty("device").GetString())));
        // Newest first: the double dispense is the last fact applied.
        Assert.Equal(second.Index, alerts[0].GetProperty("index").GetInt64());
        Assert.True(page.GetProperty("applied").GetInt64() > second.Index);
    }

    [Fact]
    public async Task List_SinceAfterTheAlert_Empty()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1");
        await sites.Pharmacy.SendGreenAsync(sites.Pharmacy.Dispense("S1"));
        var second = await sites.Pharmacy.SendAsync(sites.Pharmacy.Dispense("S1"));
        using var auditor = ApiUser.Add(hub, "olga", "auditor");

        var page = await auditor.Http.GetFromJsonAsync<JsonElement>($"/v1/alerts?since={second.Index + 1}");

        Assert.Empty(page.GetProperty("alerts").EnumerateArray());
        Assert.True(page.GetProperty("total").GetInt64() >= 2);
    }

    [Theory]
    [InlineData("/v1/alerts?limit=0", "Bad limit")]
    [InlineData("/v1/alerts?limit=1001", "Bad limit")]
    [InlineData("/v1/alerts?since=-1", "Bad since")]
    public async Task List_BadQuery_400WithTitle(string path, string title)
    {
        await using var hub = await RunningHub.StartAsync();
        using var auditor = ApiUser.Add(hub, "olga", "auditor");

        var response = await auditor.Http.GetAsync(new Uri(path, UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task List_NoToken_401()
    {
        await using var hub = await RunningHub.StartAsync();

        var response = await hub.Http.GetAsync(new Uri("/v1/alerts", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
