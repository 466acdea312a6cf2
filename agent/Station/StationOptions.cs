using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Agent.Station;

/// <summary>Who this station is and how its scan workflow behaves: configuration section <c>Station</c>.</summary>
internal sealed class StationOptions
{
    public const string Section = "Station";

    /// <summary>One of <c>commissioning</c>, <c>dock-out</c>, <c>dock-in</c>, <c>pharmacy</c>, <c>storage</c>, <c>transport</c>.
    /// Required unless <see cref="Roles"/> is set (checked by <see cref="StationOptionsValidator"/>).</summary>
    public string Role { get; set; } = string.Empty;

    /// <summary>
    /// Instead of <see cref="Role"/>: the roles of a station that serves several (<c>Station:Roles:0</c>, <c>:1</c>, …), all
    /// scanning roles; the first is the mode it starts in, and a mode barcode (<see cref="ModeCodes"/>) switches to another.
    /// </summary>
    public IList<string> Roles { get; } = [];

    /// <summary>The barcode that switches to a role's mode, by role name (<c>Station:ModeCodes:dock-out</c>); a role not
    /// named here uses <c>MODE-</c> and its upper-case name, e.g. <c>MODE-DOCK-OUT</c>. Compared exactly, like the end code.</summary>
    public IDictionary<string, string> ModeCodes { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The 13-digit GLN of the site the station stands at; events carry it as their read point.</summary>
    [Required(ErrorMessage = "Station:SiteGln is required: the site's 13-digit GLN.")]
    public string SiteGln { get; set; } = string.Empty;

    /// <summary>The device id enrolled at the hub (<c>ct:deviceId</c>): 1–64 characters of A–Z a–z 0–9 . _ -.</summary>
    [Required(ErrorMessage = "Station:DeviceId is required: 1-64 characters of A-Z a-z 0-9 . _ -.")]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Station:DeviceId must be 1-64 characters of A-Z a-z 0-9 . _ -.")]
    public string DeviceId { get; set; } = string.Empty;

    /// <summary>Where the device key and the outbox live; the service user must own it.</summary>
    [Required(ErrorMessage = "Station:DataDirectory is required.")]
    public string DataDirectory { get; set; } = "/var/lib/coldtrace-agent";

    /// <summary>The barcode that closes a dock batch: a literal (compared exactly) such as <c>END</c>.</summary>
    public string EndCode { get; set; } = "END";

    /// <summary>A dock batch with no scan for this long is closed as if the end code had been scanned.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "Station:BatchIdleTimeout must lie between 00:00:10 and 01:00:00.")]
    public TimeSpan BatchIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Most packs in one shipping or receiving event; the event payload is limited to 64 KiB (PROTOCOL.md §2.1).</summary>
    [Range(1, 500, ErrorMessage = "Station:MaxPacksPerBatch must lie between 1 and 500.")]
    public int MaxPacksPerBatch { get; set; } = 300;

    /// <summary>The GIAI (AI 8004) of the fridge or cold room the sensors watch (storage, pharmacy, commissioning, dock roles).</summary>
    public string? AssetGiai { get; set; }

    /// <summary>The SSCC (AI 00) of the container the sensors travel with (transport role).</summary>
    public string? ContainerSscc { get; set; }

    /// <summary>The file whose presence means the wall clock is synchronised (<c>ct:clockSynced</c>, <see cref="ClockSync"/>):
    /// systemd-timesyncd's by default; a station whose time source signals otherwise names the file its own hook touches.</summary>
    [Required(ErrorMessage = "Station:ClockSyncMarker must name a file path.")]
    public string ClockSyncMarker { get; set; } = ClockSync.DefaultMarker;

    /// <summary>The role the station starts in: <see cref="Role"/>, or the first of <see cref="Roles"/>. Valid after options
    /// validation. (A method, so validators do not evaluate it.)</summary>
    public StationRole GetRole() => GetRoles()[0];

    /// <summary>Every role the station serves, the start mode first; valid after options validation.</summary>
    public IReadOnlyList<StationRole> GetRoles() => Roles.Count > 0
        ? [.. Roles.Select((name, i) => Parse(name, $"Station:Roles:{i}"))]
        : [Parse(Role, "Station:Role")];

    /// <summary>The barcode that switches the station to <paramref name="role"/>.</summary>
    public string ModeCodeOf(StationRole role) =>
        ModeCodes.TryGetValue(StationRoles.Name(role), out var code) ? code : StationRoles.DefaultModeCode(role);

    private static StationRole Parse(string name, string key) => StationRoles.TryParse(name, out var role)
        ? role
        : throw new InvalidOperationException($"{key} '{name}' was not validated.");
}
