using SupplyChain.Contracts.Events;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Tests.Web;

/// <summary>
/// A real hub with a 2–8 °C profile for <see cref="ChainDevice.Gtin"/>, the four <see cref="ChainSites"/> and a fridge
/// sensor at the pharmacy, ready for the browser: packs delivered to the pharmacy in lots, fridge readings, users.
/// </summary>
internal sealed class WebScenario : IAsyncDisposable
{
    public const string GoodLot = "L2";
    public const string Gtin = ChainDevice.Gtin;

    private const string Profile = $"--ColdChain:Profiles:{Gtin}:";

    private WebScenario(RunningHub hub, ChainSites sites, ChainDevice fridge)
    {
        Hub = hub;
        Sites = sites;
        Fridge = fridge;
    }

    public RunningHub Hub { get; }

    public ChainSites Sites { get; }

    public ChainDevice Fridge { get; }

    public static async Task<WebScenario> StartAsync(params string[] settings)
    {
        var hub = await RunningHub.StartAsync(
            null,
            [Profile + "LowerCelsius=2", Profile + "UpperCelsius=8", Profile + "MaxExcursion=00:30:00", Profile + "AllowedOutOfRange=01:00:00", Profile + "AllowedUnknown=3650.00:00:00", .. settings]);
        var sites = await ChainSites.EnrolAsync(hub);
        var fridge = await ChainDevice.EnrolAsync(hub, "fridge-1", ChainSites.PharmacyGln, "sensor");
        return new WebScenario(hub, sites, fridge);
    }

    /// <summary>Commissions <paramref name="serials"/> in <paramref name="lot"/> and takes them through the wholesaler to the pharmacy.</summary>
    public async Task DeliverAsync(string lot, params string[] serials)
    {
        var maker = Sites.Maker;
        await maker.SendGreenAsync(maker.Next((time, stamp) =>
            CustodyEvents.Commission(time, stamp, maker.SiteUri, [.. serials.Select(ChainDevice.Pack)], lot, ChainDevice.Expiry)));
        await maker.SendGreenAsync(maker.Ship(ChainSites.WholesalerGln, serials));
        await Sites.Wholesaler.SendGreenAsync(Sites.Wholesaler.Receive(ChainSites.MakerGln, serials));
        await Sites.Wholesaler.SendGreenAsync(Sites.Wholesaler.Ship(ChainSites.PharmacyGln, serials));
        await Sites.Pharmacy.SendGreenAsync(Sites.Pharmacy.Receive(ChainSites.WholesalerGln, serials));
    }

    /// <summary>Six hours of pharmacy fridge readings every ten minutes, 4–6 °C with one 10-minute spike to 9 °C (allowed: under 30 min).</summary>
    public async Task FridgeReadingsAsync()
    {
        var start = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var samples = Enumerable.Range(0, 37)
            .Select(i => new TemperatureSample(start.AddMinutes(10 * i), i == 20 ? 9m : 5m + (decimal)Math.Round(Math.Sin(i / 4.0), 1)))
            .ToList();
        await Fridge.SendGreenAsync(Fridge.Next((_, stamp) =>
            CustodyEvents.ReportTemperatures(samples[^1].Time, stamp, Fridge.SiteUri, Fridge.SiteUri, samples)));
    }

    /// <summary>Adds a user (a pharmacist at the pharmacy) and returns their token.</summary>
    public string AddUser(string name, string role)
    {
        var result = Hub.Service<UserAccounts>().Add(name, role, role == "pharmacist" ? ChainSites.PharmacyGln : null);
        Assert.True(result.IsSuccess, result.Error);
        return result.Token!;
    }

    public async ValueTask DisposeAsync()
    {
        await Fridge.DisposeAsync();
        await Sites.DisposeAsync();
        await Hub.DisposeAsync();
    }
}
