using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.ColdChain;

/// <summary><c>/v1/coldchain</c> on the real hub, fed by real signed sensor events over MQTT.</summary>
public sealed class ColdChainApiTests
{
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Locations_FridgeAtTheWholesaler_LatestReadingStateRangeAndPacks()
    {
        await using var scenario = await ColdChainScenario.StartAsync();
        using var auditor = ApiUser.Add(scenario.Hub, "olga", "auditor");
        // New packs at the maker, which has no sensor; a pharmacy fridge whose last reading is an hour old.
        await scenario.Sites.Maker.SendGreenAsync(scenario.Sites.Maker.Commission("S3"));
        await using var quiet = await ChainDevice.EnrolAsync(scenario.Hub, "fridge-2", ChainSites.PharmacyGln, "sensor");
        await quiet.SendGreenAsync(quiet.Next((_, stamp) => Contracts.Events.CustodyEvents.ReportTemperatures(
            scenario.Now, stamp, quiet.SiteUri, quiet.SiteUri, [new Contracts.Events.TemperatureSample(scenario.Now.AddHours(-1), 4m)])));

        var answer = await auditor.Http.GetFromJsonAsync<JsonElement>("/v1/coldchain/locations");

        var locations = answer.GetProperty("locations").EnumerateArray().ToDictionary(l => l.GetProperty("place").GetString()!);
        var wholesaler = locations[ChainSites.WholesalerGln];
        Assert.Equal(("site", "ok", 2), (wholesaler.GetProperty("kind").GetString(), wholesaler.GetProperty("state").GetString(), wholesaler.GetProperty("packs").GetInt32()));
        Assert.Equal(5m, wholesaler.GetProperty("latest").GetProperty("celsius").GetDecimal());
        Assert.Equal(Iso(scenario.ExcursionEnd), wholesaler.GetProperty("latest").GetProperty("time").GetString());
        Assert.Equal((2m, 8m), (wholesaler.GetProperty("range").GetProperty("lower").GetDecimal(), wholesaler.GetProperty("range").GetProperty("upper").GetDecimal()));
        var sensor = Assert.Single(wholesaler.GetProperty("sensors").EnumerateArray());
        Assert.Equal((ColdChainScenario.Fridge, "fridge-1", 5L), (sensor.GetProperty("asset").GetString(), sensor.GetProperty("device").GetString(), sensor.GetProperty("readings").GetInt64()));
        Assert.Equal(("no_reading", 1), (locations[ChainSites.MakerGln].GetProperty("state").GetString(), locations[ChainSites.MakerGln].GetProperty("packs").GetInt32()));
        Assert.Equal(("no_recent_reading", 0), (locations[ChainSites.PharmacyGln].GetProperty("state").GetString(), locations[ChainSites.PharmacyGln].GetProperty("packs").GetInt32()));
        // Nothing else: the packs travelled without a container, and transport without one is no place.
        Assert.Equal(3, locations.Count);
    }

    [Fact]
    public async Task Excursions_LastHour_StartEndPeakMktAndPacksAffected()
    {
        await using var scenario = await ColdChainScenario.StartAsync();
        using var auditor = ApiUser.Add(scenario.Hub, "olga", "auditor");
        var from = Uri.EscapeDataString(Iso(scenario.Now.AddHours(-1)));

        var answer = await auditor.Http.GetFromJsonAsync<JsonElement>($"/v1/coldchain/excursions?from={from}");

        var excursion = Assert.Single(answer.GetProperty("excursions").EnumerateArray());
        Assert.Equal((ChainSites.WholesalerGln, "site"), (excursion.GetProperty("place").GetString(), excursion.GetProperty("kind").GetString()));
        Assert.Equal((Iso(scenario.ExcursionStart), Iso(scenario.ExcursionEnd)), (excursion.GetProperty("start").GetString(), excursion.GetProperty("end").GetString()));
        Assert.False(excursion.GetProperty("ongoing").GetBoolean());
        Assert.Equal(900, excursion.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(10m, excursion.GetProperty("peakCelsius").GetDecimal());
        // USP <1079.2> MKT of 10 min at 9.5 °C and 5 min at 10 °C (ΔH/R = 10 000 K): 9.67 °C.
        Assert.Equal(9.67, excursion.GetProperty("mktCelsius").GetDouble());
        Assert.Equal((2, 2), (excursion.GetProperty("readings").GetInt32(), excursion.GetProperty("packsAffected").GetInt32()));
    }

    [Fact]
    public async Task Series_Fridge_PointsRangeAndExcursion()
    {
        await using var scenario = await ColdChainScenario.StartAsync();
        using var pharmacist = ApiUser.Add(scenario.Hub, "phil", "pharmacist", ChainSites.PharmacyGln);

        var answer = await pharmacist.Http.GetFromJsonAsync<JsonElement>(
            $"/v1/coldchain/series?place=(414){ChainSites.WholesalerGln}&from={Uri.EscapeDataString(Iso(scenario.Now.AddMinutes(-35)))}&to={Uri.EscapeDataString(Iso(scenario.Now))}");

        // The reading holding at `from` (at −40 min) comes first, then the four inside the window.
        Assert.Equal([5m, 5m, 9.5m, 10m, 5m], answer.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("celsius").GetDecimal()));
        Assert.Equal((4, false), (answer.GetProperty("total").GetInt32(), answer.GetProperty("thinned").GetBoolean()));
        Assert.Equal(8m, answer.GetProperty("range").GetProperty("upper").GetDecimal());
        Assert.Single(answer.GetProperty("excursions").EnumerateArray());
    }

    [Theory]
    [InlineData("/v1/coldchain/series", "Bad place")]
    [InlineData("/v1/coldchain/series?place=9506000134384", "Bad place")]
    [InlineData("/v1/coldchain/series?place=" + ChainSites.PharmacyGln, "Unknown place")]
    [InlineData("/v1/coldchain/series?place=" + ChainSites.WholesalerGln + "&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "Bad window")]
    [InlineData("/v1/coldchain/series?place=" + ChainSites.WholesalerGln + "&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "Bad window")]
    [InlineData("/v1/coldchain/series?place=" + ChainSites.WholesalerGln + "&from=last%20tuesday", "Bad window")]
    [InlineData("/v1/coldchain/excursions?to=soon", "Bad window")]
    [InlineData("/v1/coldchain/excursions?limit=0", "Bad limit")]
    [InlineData("/v1/coldchain/excursions?limit=many", "Bad limit")]
    [InlineData("/v1/coldchain/excursions?place=123", "Bad place")]
    public async Task BadInput_400ProblemDetails(string path, string title)
    {
        await using var hub = await RunningHub.StartAsync();
        using var auditor = ApiUser.Add(hub, "olga", "auditor");

        var response = await auditor.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/v1/coldchain/locations")]
    [InlineData("/v1/coldchain/excursions")]
    [InlineData("/v1/coldchain/series?place=9506000134383")]
    public async Task NoToken_401(string path)
    {
        await using var hub = await RunningHub.StartAsync();

        var response = await hub.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
