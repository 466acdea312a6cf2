using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Web;

/// <summary>
/// How pages name a site: its GLN with what it does, taken from the devices enrolled there ("pharmacy 9506000134383").
/// A site with only sensors, or none, is just its GLN.
/// </summary>
internal sealed class SiteLabels
{
    private readonly Dictionary<string, string> _roles;

    private SiteLabels(Dictionary<string, string> roles) => _roles = roles;

    public static SiteLabels From(IDeviceRegistry devices) => new(
        devices.List()
            .Where(d => d.Role != DeviceRole.Sensor)
            .GroupBy(d => d.Site.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.Role).First().Role.ToString().ToLowerInvariant(), StringComparer.Ordinal));

    /// <summary>The label of a site given by its GLN (13 digits) or its GS1 Digital Link URI (<c>…/414/GLN</c>).</summary>
    public string Of(string? site)
    {
        if (string.IsNullOrEmpty(site))
        {
            return "-";
        }

        var gln = site.Contains("/414/", StringComparison.Ordinal) ? site[(site.LastIndexOf('/') + 1)..] : site;
        if (site.Contains("/00/", StringComparison.Ordinal))
        {
            return "container " + site[(site.LastIndexOf('/') + 1)..];
        }

        return _roles.TryGetValue(gln, out var role) ? $"{role} {gln}" : gln;
    }
}
