using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Hub;

/// <summary>The "Hub" configuration section: where the hub keeps its state.</summary>
internal sealed class HubOptions
{
    public const string Section = "Hub";

    /// <summary>Directory for the log database and the hub key; created on first start with owner-only permissions.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = Path.Combine("data", "hub");
}
