using SupplyChain.Contracts.Events;
using SupplyChain.Hub.Tests.Custody;

namespace SupplyChain.Hub.Tests.ColdChain;

/// <summary>
/// A running hub with a 2–8 °C profile, the four chain sites, two packs received at the wholesaler, and the
/// wholesaler's fridge sensor reporting over the last 40 minutes (hub clock) with one excursion: 5, 5, 9.5, 10, 5 °C
/// at now − 40, −30, −20, −10 and −5 minutes.
/// </summary>
internal sealed class ColdChainScenario : IAsyncDisposable
{
    public const string Fridge = "https://id.gs1.org/8004/9506000134352FRIDGE1";

    private ColdChainScenario(RunningHub hub, ChainSites sites, ChainDevice fridge, DateTimeOffset now)
    {
        Hub = hub;
        Sites = sites;
        FridgeSensor = fridge;
        Now = now;
    }

    public RunningHub Hub { get; }

    public ChainSites Sites { get; }

    public ChainDevice FridgeSensor { get; }

    /// <summary>The hub's time when the readings were made, whole seconds.</summary>
    public DateTimeOffset Now { get; }

    public DateTimeOffset ExcursionStart => Now.AddMinutes(-20);

    public DateTimeOffset ExcursionEnd => Now.AddMinutes(-5);

    public static async Task<ColdChainScenario> StartAsync(params string[] settings)
    {
        const string profile = $"--ColdChain:Profiles:{ChainDevice.Gtin}:";
        var hub = await RunningHub.StartAsync(null, [profile + "LowerCelsius=2", profile + "UpperCelsius=8", .. settings]);
        var sites = await ChainSites.EnrolAsync(hub);
        var fridge = await ChainDevice.EnrolAsync(hub, "fridge-1", ChainSites.WholesalerGln, "sensor");
        await sites.Maker.SendGreenAsync(sites.Maker.Commission("S1", "S2"));
        await sites.Maker.SendGreenAsync(sites.Maker.Ship(ChainSites.WholesalerGln, "S1", "S2"));
        await sites.Wholesaler.SendGreenAsync(sites.Wholesaler.Receive(ChainSites.MakerGln, "S1", "S2"));

        var clock = hub.Service<TimeProvider>().GetUtcNow();
        var now = new DateTimeOffset(clock.Ticks - (clock.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        (int Minutes, decimal Celsius)[] readings = [(-40, 5m), (-30, 5m), (-20, 9.5m), (-10, 10m), (-5, 5m)];
        var samples = readings.Select(r => new TemperatureSample(now.AddMinutes(r.Minutes), r.Celsius)).ToList();
        // Sensor reports are green even when they compromise packs (the alert says so, not the verdict).
        await fridge.SendGreenAsync(fridge.Next((_, stamp) => CustodyEvents.ReportTemperatures(now, stamp, fridge.SiteUri, Fridge, samples)));
        return new ColdChainScenario(hub, sites, fridge, now);
    }

    public async ValueTask DisposeAsync()
    {
        await FridgeSensor.DisposeAsync();
        await Sites.DisposeAsync();
        await Hub.DisposeAsync();
    }
}
