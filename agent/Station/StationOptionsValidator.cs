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
        var roles = ValidateRoles(options, failures);

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

        if (roles.Contains(StationRole.Transport) && string.IsNullOrEmpty(options.ContainerSscc))
        {
            failures.Add("Station:ContainerSscc is required for the transport role: sensor reports name the container.");
        }

        var batching = roles.Where(r => r.Batches()).Select(StationRoles.Name).ToList();
        if (batching.Count > 0 && string.IsNullOrWhiteSpace(options.EndCode))
        {
            failures.Add($"Station:EndCode is required for the {batching[0]} role: it closes a batch.");
        }

        ValidateModeCodes(options, roles, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The roles that parsed; a failure for each problem with <c>Station:Role</c> or <c>Station:Roles</c>.</summary>
    private static List<StationRole> ValidateRoles(StationOptions options, List<string> failures)
    {
        var roles = new List<StationRole>();
        var hasRole = !string.IsNullOrEmpty(options.Role);
        if (hasRole && options.Roles.Count > 0)
        {
            failures.Add("Station:Role and Station:Roles are both set: list every role in Station:Roles (the first is the start mode) and leave Station:Role unset.");
            return roles;
        }

        if (!hasRole && options.Roles.Count == 0)
        {
            failures.Add($"Station:Role is required (or Station:Roles for a station with several roles): one of {StationRoles.AllNames}.");
            return roles;
        }

        if (hasRole)
        {
            if (StationRoles.TryParse(options.Role, out var role))
            {
                roles.Add(role);
            }
            else
            {
                failures.Add($"Station:Role '{options.Role}' is not one of {StationRoles.AllNames}.");
            }

            return roles;
        }

        for (var i = 0; i < options.Roles.Count; i++)
        {
            var name = options.Roles[i];
            if (!StationRoles.TryParse(name, out var role))
            {
                failures.Add($"Station:Roles:{i} '{name}' is not one of {StationRoles.AllNames}.");
            }
            else if (roles.Contains(role))
            {
                failures.Add($"Station:Roles:{i} '{name}' is listed twice.");
            }
            else if (!role.Scans() && options.Roles.Count > 1)
            {
                failures.Add($"Station:Roles:{i} '{name}' reads no scanner and cannot share a station with other roles; any station reports its Sensors:Devices.");
            }
            else
            {
                roles.Add(role);
            }
        }

        // The hub enrols a device under one role, and only a manufacturer may commission and only a pharmacy dispense.
        if (roles.Contains(StationRole.Commissioning) && roles.Contains(StationRole.Pharmacy))
        {
            failures.Add("Station:Roles lists both commissioning and pharmacy: the hub enrols a device as a manufacturer or as a pharmacy, not both; use two stations.");
        }

        return roles;
    }

    /// <summary>Mode codes must name roles, and the codes a multi-role station switches on must differ from each other and from the end code.</summary>
    private static void ValidateModeCodes(StationOptions options, List<StationRole> roles, List<string> failures)
    {
        foreach (var (name, code) in options.ModeCodes)
        {
            if (!StationRoles.TryParse(name, out var role) || !role.Scans())
            {
                failures.Add($"Station:ModeCodes:{name} names no scanning role: use one of {string.Join(", ", StationRoles.Scanning.Select(StationRoles.Name))}.");
            }
            else if (string.IsNullOrWhiteSpace(code))
            {
                failures.Add($"Station:ModeCodes:{name} is empty: it is the barcode that switches to the {name} mode.");
            }
        }

        if (roles.Count < 2)
        {
            return;
        }

        var seen = new Dictionary<string, StationRole>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            var code = options.ModeCodeOf(role).Trim();
            var key = $"Station:ModeCodes:{StationRoles.Name(role)}";
            if (string.Equals(code, options.EndCode.Trim(), StringComparison.Ordinal))
            {
                failures.Add($"{key} '{code}' is also Station:EndCode: a mode barcode must differ from the end code.");
            }
            else if (!seen.TryAdd(code, role))
            {
                failures.Add($"{key} '{code}' is also the mode barcode of {StationRoles.Name(seen[code])}.");
            }
        }
    }
}
