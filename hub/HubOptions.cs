using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Hub;

/// <summary>The "Hub" configuration section: where the hub keeps its state.</summary>
internal sealed class HubOptions
{
    public const string Section = "Hub";

    /// <summary>
    /// Directory for the log database and the hub key; created on first start with owner-only permissions. Defaults to
    /// systemd's <c>$STATE_DIRECTORY</c> when run as a unit, else <c>~/.local/share/coldtrace/hub</c>.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state
            ? state.Split(':')[0]
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "coldtrace", "hub");
}
