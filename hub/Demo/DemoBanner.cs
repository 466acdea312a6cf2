using System.Text;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Demo;

/// <summary>What the demo prints for the person who started it: where to look, how to sign in, and packs to try.</summary>
internal static class DemoBanner
{
    /// <summary>Printed once the hub and every station run.</summary>
    public static string Welcome(DemoSettings settings, IReadOnlyList<DemoUser> users)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("ColdTrace demo: the hub on its embedded defaults (MQTT broker, LiteDB) and ten stations running the real agent,");
        text.AppendLine($"with simulated scanners and sensors, moving {DemoSites.Product} packs (GTIN {DemoSites.Gtin}, 2-8 °C) from factory to pharmacy.");
        text.AppendLine();
        text.AppendLine($"  Web:   {settings.Web}   (verify page: {new Uri(settings.Web, "verify")})");
        text.AppendLine($"  API:   {new Uri(settings.Web, "v1/")}   (docs/API.md)");
        text.AppendLine($"  Data:  {settings.Directory}{(settings.Resumed ? "   (resumed)" : string.Empty)}");
        text.AppendLine($"         start again with --data {settings.Directory} to resume it");
        text.AppendLine();
        text.AppendLine("  Sites and stations:");
        foreach (var site in DemoSites.Sites)
        {
            text.AppendLine($"    {site.Name} (GLN {site.Gln})");
            foreach (var station in DemoSites.Stations.Where(s => s.Site == site))
            {
                text.AppendLine($"      {station.DeviceId,-14} {station.StationRole,-14} {station.What}");
            }
        }

        text.AppendLine();
        text.AppendLine("  Demo sign-in tokens (demo credentials for this data directory only; new ones are issued at every start).");
        text.AppendLine($"  Paste one at {new Uri(settings.Web, "account/signin")}; the pharmacist works at {DemoSites.PharmacyOne.Name} and dispenses there:");
        foreach (var user in users)
        {
            text.AppendLine($"    {UserRoles.Name(user.Role),-11} {user.Name,-20} {user.Token}");
        }

        text.AppendLine();
        text.AppendLine($"  One cycle every ~{(settings.Pace * 8) + settings.Rest:%m'm'ss's'}: commission, ship by truck, receive, store, ship to the pharmacies, dispense.");
        text.AppendLine("  Packs to verify are printed once the first delivery reached a pharmacy. Press Ctrl+C to stop.");
        return text.ToString();
    }

    /// <summary>Printed once every example answers as it says.</summary>
    public static string Examples(DemoSettings settings, IReadOnlyList<DemoExample> examples, DemoUser pharmacist, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"Packs to verify: paste one into {new Uri(settings.Web, "verify")} (or scan it), or POST it to /v1/verify.");
        foreach (var example in examples)
        {
            text.AppendLine($"  {example.Title}, asked at {example.Site.Name} (site {example.Site.Gln})");
            text.AppendLine($"    {example.Bracketed}");
            text.AppendLine($"    {example.DigitalLink(now)}");
            text.AppendLine($"    expect: {example.Expect}");
        }

        var first = examples[0];
        text.AppendLine("  With curl, as the demo pharmacist:");
        text.AppendLine($"    curl -s {new Uri(settings.Web, "v1/verify")} -H 'authorization: Bearer {pharmacist.Token}' \\");
        text.AppendLine($"      -H 'content-type: application/json' -d '{{\"scan\": \"{first.Bracketed}\", \"site\": \"{first.Site.Gln}\"}}'");
        text.AppendLine();
        return text.ToString();
    }
}
