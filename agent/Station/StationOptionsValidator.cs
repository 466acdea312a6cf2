using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Agent.Station;

/// <summary>The checks on <see cref="StationOptions"/> that attributes cannot express; each failure names its key.</summary>
internal sealed class StationOptionsValidator : IValidateOptions<StationOptions>
{
    public ValidateOptionsResult Validate(string? name, StationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var hasRole = StationRoles.TryParse(options.Role, out var role);
        if (!string.IsNullOrEmpty(options.Role) && !hasRole)
        {
            failures.Add($"Station:Role '{options.Role}' is not one of {StationRoles.AllNames}.");
        }

        if (!string.IsNullOrEmpty(options.SiteGln) && !Gln.TryParse(options.SiteGln, out _, out var glnReason))
        {
            failures.Add($"Station:SiteGln '{options.SiteGln}' is not a GLN: {glnReason}");
        }

        if (options.AssetGiai is { Length: > 0 } giai && !Giai.TryParse(giai, out _, out var giaiReason))
        {
            failures.Add($"Station:AssetGiai '{giai}' is not a GIAI: {giaiReason}");
        }

        if (options.ContainerSscc is { Length: > 0 } sscc && !Sscc.TryParse(sscc, out _, out var ssccReason))
        {
            failures.Add($"Station:ContainerSscc '{sscc}' is not an SSCC: {ssccReason}");
        }

        if (hasRole && role == StationRole.Transport && string.IsNullOrEmpty(options.ContainerSscc))
        {
            failures.Add("Station:ContainerSscc is required for the transport role: sensor reports name the container.");
        }

        if (hasRole && role.Batches() && string.IsNullOrWhiteSpace(options.EndCode))
        {
            failures.Add($"Station:EndCode is required for the {options.Role} role: it closes a batch.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
