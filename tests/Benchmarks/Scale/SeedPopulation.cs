using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SupplyChain.Contracts.Signing;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Benchmarks.Scale;

/// <summary>A site of the seeded supply chain and its two devices: a scanning station and a fridge sensor.</summary>
internal sealed record SeedSite(string Gln, DeviceRole Role, SeedDevice Station, SeedDevice Sensor)
{
    public string Uri => $"https://id.gs1.org/414/{Gln}";

    /// <summary>The fridge the sensor watches (a GIAI under the site's company prefix).</summary>
    public string Asset => $"https://id.gs1.org/8004/{Gln[..12]}FRIDGE1";
}

/// <summary>One seeded device: a deterministic Ed25519 key (so a run can be repeated) and its chain head while seeding.</summary>
internal sealed class SeedDevice(string id, DeviceRole role, string gln) : IDisposable
{
    public string Id { get; } = id;

    public DeviceRole Role { get; } = role;

    public string Gln { get; } = gln;

    public DeviceSigner Signer { get; } = DeviceSigner.FromSeed(SHA256.HashData(Encoding.UTF8.GetBytes("coldtrace-seed/" + id)));

    /// <summary>The next <c>ct:seq</c> and the id of the last event (PROTOCOL.md §5.5).</summary>
    public long NextSeq { get; set; }

    public EventId Prev { get; set; } = EventId.None;

    public EnrolRequest Enrolment() => new(
        Id,
        Convert.ToBase64String(Signer.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey)),
        Gln,
        DeviceRoles.Name(Role),
        Password: null,
        Actor: "coldtrace-bench seed");

    public void Dispose() => Signer.Dispose();
}

/// <summary>
/// The seeded supply chain: manufacturers commission packs in cases of 50 and lots of 1,000, ship each case to a
/// wholesaler, which receives it and ships it on to a pharmacy, which receives it. Every site has a scanning station and
/// a fridge sensor reporting a reading a minute in reports of ten.
/// </summary>
internal sealed class SeedPopulation : IDisposable
{
    public const string Gtin = "09506000134352";
    public const int CaseSize = 50;
    public const int LotSize = 1000;
    public const int SamplesPerReport = 10;
    public static readonly DateOnly Expiry = new(2028, 12, 31);

    public SeedPopulation(int manufacturers = 2, int wholesalers = 6, int pharmacies = 48)
    {
        var number = 0;
        Manufacturers = [.. Enumerable.Range(0, manufacturers).Select(_ => Site(DeviceRole.Manufacturer, number++))];
        Wholesalers = [.. Enumerable.Range(0, wholesalers).Select(_ => Site(DeviceRole.Warehouse, number++))];
        Pharmacies = [.. Enumerable.Range(0, pharmacies).Select(_ => Site(DeviceRole.Pharmacy, number++))];
        Sites = [.. Manufacturers, .. Wholesalers, .. Pharmacies];
        Devices = [.. Sites.SelectMany(s => new[] { s.Station, s.Sensor })];
    }

    public IReadOnlyList<SeedSite> Manufacturers { get; }

    public IReadOnlyList<SeedSite> Wholesalers { get; }

    public IReadOnlyList<SeedSite> Pharmacies { get; }

    public IReadOnlyList<SeedSite> Sites { get; }

    public IReadOnlyList<SeedDevice> Devices { get; }

    public static string Serial(long pack) => "S" + pack.ToString("D9", CultureInfo.InvariantCulture);

    public static string PackUri(long pack) => $"https://id.gs1.org/01/{Gtin}/21/{Serial(pack)}";

    public static string Lot(long pack) => "L" + (pack / LotSize).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The raw DataMatrix scan of a pack (GS1 element string: 01, 17, 10, GS, 21).</summary>
    public static string Scan(long pack) =>
        $"]d201{Gtin}17{Expiry:yyMMdd}10{Lot(pack)}\u001d21{Serial(pack)}";

    public void Dispose()
    {
        foreach (var device in Devices)
        {
            device.Dispose();
        }
    }

    private static SeedSite Site(DeviceRole role, int number)
    {
        var gln = WithCheckDigit("950600" + (200000 + number).ToString("D6", CultureInfo.InvariantCulture));
        var kind = role switch { DeviceRole.Manufacturer => "mfr", DeviceRole.Warehouse => "whs", _ => "pha" };
        return new SeedSite(gln, role, new SeedDevice($"seed-{kind}-{number:D3}", role, gln), new SeedDevice($"seed-fridge-{number:D3}", DeviceRole.Sensor, gln));
    }

    /// <summary>Appends the GS1 mod-10 check digit (GenSpecs §7.9.1): weights 3, 1, 3 … from the right.</summary>
    private static string WithCheckDigit(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var weight = (digits.Length - i) % 2 == 1 ? 3 : 1;
            sum += (digits[i] - '0') * weight;
        }

        return digits + ((10 - (sum % 10)) % 10).ToString(CultureInfo.InvariantCulture);
    }
}
