using System.Globalization;
using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Hub.Demo;

/// <summary>A site of the demo: who it is and its GLN (GS1 GenSpecs §3.4.2, check digit mod 10 per §7.9).</summary>
internal sealed record DemoSite(string Name, string Gln);

/// <summary>A simulated temperature sensor on a station (<c>Sensors:Devices:0</c>, type <c>simulated</c>).</summary>
internal sealed record DemoSensor(double BaseCelsius, TimeSpan SampleInterval, TimeSpan ReportWindow, int Seed, IReadOnlyList<DemoExcursion> Excursions);

/// <summary>A scheduled excursion of a simulated sensor, from the moment the sensor starts (a reefer failing, a door left open).</summary>
internal sealed record DemoExcursion(TimeSpan StartAfter, TimeSpan Duration, double PeakCelsius)
{
    public TimeSpan EndAfter => StartAfter + Duration;
}

/// <summary>
/// One station of the demo: a real agent with its own key and data directory, enrolled at the hub under
/// <paramref name="HubRole"/>, serving <paramref name="StationRole"/> (firmware-config/stations/*.json).
/// </summary>
internal sealed record DemoStationPlan(
    string DeviceId, DemoSite Site, string HubRole, string StationRole, string What, DemoSensor? Sensor = null, string? AssetGiai = null, string? ContainerSscc = null)
{
    public bool Scans => StationRole is not ("storage" or "transport");
}

/// <summary>
/// The demo's supply chain: one product, a manufacturer, a distributor with a cold room and a truck, two pharmacies, and
/// the ten stations that serve them. GLNs, GTIN and SSCCs use the GS1 test company prefix 9506000134 of the integration
/// scenario, with valid check digits (the hub refuses any other).
/// </summary>
internal static class DemoSites
{
    /// <summary>An insulin pen, stored at 2–8 °C.</summary>
    public const string Gtin = "09506000134352";

    public const string Product = "insulin pen 100 U/ml";

    public const string Expiry = "301231";

    /// <summary>The truck's refrigerated trailer (SSCC, AI 00): pallets travel in it; its logger reports against it.</summary>
    public const string Trailer = "395060001349000071";

    public static readonly DemoSite Manufacturer = new("Northwind Pharma, Leiden", "9506000134109");
    public static readonly DemoSite Distributor = new("Contoso Distribution, Utrecht", "9506000134116");
    public static readonly DemoSite PharmacyOne = new("Apotheek Centrum, Amsterdam", "9506000134123");
    public static readonly DemoSite PharmacyTwo = new("Apotheek Zuid, Rotterdam", "9506000134130");

    public static IReadOnlyList<DemoSite> Sites => [Manufacturer, Distributor, PharmacyOne, PharmacyTwo];

    /// <summary>When the truck's reefer fails: first two minutes after the start, then every twenty minutes for a day.</summary>
    public static IReadOnlyList<DemoExcursion> TruckExcursions =>
        [.. Enumerable.Range(0, 72).Select(i => new DemoExcursion(TimeSpan.FromSeconds(120) + (i * TimeSpan.FromMinutes(20)), TimeSpan.FromSeconds(60), 14.0))];

    public static readonly DemoStationPlan Line = new("mfr-line-1", Manufacturer, "manufacturer", "commissioning", "packaging line, commissions serials");
    public static readonly DemoStationPlan MfrDock = new(
        "mfr-dock-1", Manufacturer, "manufacturer", "dock-out", "dispatch dock, with a warehouse sensor",
        Sensor: new(5.2, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), 11, []), AssetGiai: "9506000134109WAREHOUSE-1");
    public static readonly DemoStationPlan DcIn = new("dc-in-1", Distributor, "warehouse", "dock-in", "receiving dock");
    public static readonly DemoStationPlan DcColdRoom = new(
        "dc-coldroom-1", Distributor, "sensor", "storage", "cold room sensor",
        Sensor: new(4.6, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), 12, []), AssetGiai: "9506000134116COLDROOM-1");
    public static readonly DemoStationPlan DcOut = new("dc-out-1", Distributor, "warehouse", "dock-out", "dispatch dock");
    public static readonly DemoStationPlan Truck = new(
        "truck-7", Distributor, "sensor", "transport", "reefer trailer logger",
        Sensor: new(5.5, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), 13, TruckExcursions), ContainerSscc: Trailer);
    public static readonly DemoStationPlan PharmacyOneIn = new("ph1-in", PharmacyOne, "pharmacy", "dock-in", "goods-in scanner");
    public static readonly DemoStationPlan PharmacyOneTill = new(
        "ph1-till", PharmacyOne, "pharmacy", "pharmacy", "counter, with the fridge sensor",
        Sensor: new(5.0, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), 14, []), AssetGiai: "9506000134123FRIDGE-1");
    public static readonly DemoStationPlan PharmacyTwoIn = new("ph2-in", PharmacyTwo, "pharmacy", "dock-in", "goods-in scanner");
    public static readonly DemoStationPlan PharmacyTwoTill = new(
        "ph2-till", PharmacyTwo, "pharmacy", "pharmacy", "counter, with the fridge sensor",
        Sensor: new(4.8, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), 15, []), AssetGiai: "9506000134130FRIDGE-1");

    public static IReadOnlyList<DemoStationPlan> Stations =>
        [Line, MfrDock, DcIn, DcColdRoom, DcOut, Truck, PharmacyOneIn, PharmacyOneTill, PharmacyTwoIn, PharmacyTwoTill];

    /// <summary>
    /// The product's cold-chain profile (ColdChain:Profiles): 2–8 °C; the demo's excursions last a minute, so the
    /// allowances are seconds where a real product would have hours. An hour without readings is tolerated (the totes
    /// to the pharmacies travel unmonitored, and a resumed demo has a gap).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> ColdChainProfile =>
    [
        new($"ColdChain:Profiles:{Gtin}:LowerCelsius", "2"),
        new($"ColdChain:Profiles:{Gtin}:UpperCelsius", "8"),
        new($"ColdChain:Profiles:{Gtin}:AllowedOutOfRange", "00:00:30"),
        new($"ColdChain:Profiles:{Gtin}:MaxExcursion", "00:00:15"),
        new($"ColdChain:Profiles:{Gtin}:AllowedUnknown", "01:00:00"),
    ];

    /// <summary>Lot <paramref name="letter"/> (A or B) of cycle <paramref name="cycle"/>: two lots per cycle.</summary>
    public static string Lot(int cycle, char letter) => string.Create(CultureInfo.InvariantCulture, $"L{cycle:D5}{letter}");

    /// <summary>The cycle a demo lot belongs to, or null for any other lot.</summary>
    public static int? CycleOf(string lot) =>
        lot.Length == 7 && lot[0] == 'L' && int.TryParse(lot.AsSpan(1, 5), NumberStyles.None, CultureInfo.InvariantCulture, out var cycle) ? cycle : null;

    public static string Serial(int cycle, int pack) => string.Create(CultureInfo.InvariantCulture, $"S{cycle:D5}{pack:D3}");

    /// <summary>A serial the manufacturer never commissioned: what a counterfeiter prints on a copied pack.</summary>
    public static string CounterfeitSerial(int cycle) => string.Create(CultureInfo.InvariantCulture, $"X{cycle:D5}777");

    /// <summary>The pack's GS1 DataMatrix as a scanner delivers it: GTIN, serial, GS, lot, GS, expiry (GenSpecs §7.8.5).</summary>
    public static string Label(string serial, string lot) => $"01{Gtin}21{serial}\u001d10{lot}\u001d17{Expiry}";

    /// <summary>The human-readable form printed under the symbol (GenSpecs §4.15).</summary>
    public static string Bracketed(string serial, string lot) => $"(01){Gtin}(21){serial}(10){lot}(17){Expiry}";

    /// <summary>The SSCC of tote <paramref name="tote"/> (0 or 1) of cycle <paramref name="cycle"/>: extension 0, the company prefix, a serial reference.</summary>
    public static string Tote(int cycle, int tote)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"09506000134{(((cycle * 2) + tote) % 1_000_000):D6}");
        return Gs1CheckDigit.TryCompute(body, out var check) ? body + check : throw new InvalidOperationException($"no check digit for {body}");
    }
}
