using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Pages.Devices;

/// <summary>
/// <c>/devices</c>: every enrolled device with what the log holds of it (<see cref="DeviceActivity"/>) and what the hub
/// answered it since start (<see cref="DeviceAckLog"/>) and its station's newest status report (<see cref="DeviceStatusBoard"/>:
/// backlog, oldest waiting event, sensor faults), for the roles that may read devices (<see cref="UserPolicies.DeviceReader"/>,
/// as <c>GET /v1/devices</c>); admins enrol (pasting the agent's enrolment line) and revoke. Both go through <see cref="DeviceEnrolment"/>, as
/// the CLI and <c>POST /v1/devices</c> do: a hub decision in the log naming the signed-in admin. The forms carry
/// antiforgery tokens (Razor Pages validates them on every POST); the handlers check the admin role themselves, because
/// Razor Pages ignores authorization attributes on handlers.
/// </summary>
[Authorize(Policy = UserPolicies.DeviceReader)]
internal sealed partial class IndexModel(
    IDeviceRegistry registry,
    DeviceActivity activity,
    DeviceAckLog acks,
    DeviceStatusBoard statuses,
    DeviceEnrolment enrolment,
    CustodyState custody,
    IAuthorizationService authorization,
    ILogger<IndexModel> logger) : PageModel
{
    public IReadOnlyList<DeviceRow> Rows { get; private set; } = [];

    public bool IsAdmin { get; private set; }

    public long Applied { get; private set; }

    [BindProperty]
    public string? Line { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? DeviceId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>What the last action did, for the banner.</summary>
    public string? Message { get; private set; }

    /// <summary>The MQTT password generated for a new device: shown once, never stored in clear.</summary>
    public string? GeneratedPassword { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostEnrollAsync(CancellationToken cancellationToken)
    {
        if (!await IsAdminAsync())
        {
            return Forbid();
        }

        if (!AgentEnrolmentLine.TryParse(Line, out var line, out var reason))
        {
            Error = $"Not enrolled: {reason}.";
            await LoadAsync();
            return Page();
        }

        var actor = UserPrincipal.Actor(User);
        var password = string.IsNullOrWhiteSpace(Password) ? line!.Password : Password.Trim();
        var outcome = await enrolment.EnrollAsync(new EnrolRequest(line!.Id, line.Key, line.Site, line.Role, password, actor), cancellationToken);
        if (!outcome.IsSuccess)
        {
            Error = $"Not enrolled: {outcome.Error}.";
            await LoadAsync();
            return Page();
        }

        LogEnrolled(actor, outcome.Device!.Id.Value, outcome.Device.EnrolledIndex);
        Message = $"Enrolled {outcome.Device.Id} ({DeviceRoles.Name(outcome.Device.Role)} at {outcome.Device.Site}), log entry {outcome.Device.EnrolledIndex}.";
        GeneratedPassword = outcome.GeneratedPassword;
        Line = null;
        Password = null;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken)
    {
        if (!await IsAdminAsync())
        {
            return Forbid();
        }

        var actor = UserPrincipal.Actor(User);
        var outcome = await enrolment.RevokeAsync(DeviceId ?? string.Empty, (Reason ?? string.Empty).Trim(), actor, cancellationToken);
        if (!outcome.IsSuccess)
        {
            Error = $"Not revoked: {outcome.Error}.";
        }
        else
        {
            LogRevoked(actor, outcome.Device!.Id.Value, outcome.Device.RevokedIndex ?? -1);
            Message = $"Revoked {outcome.Device.Id}, log entry {outcome.Device.RevokedIndex}. The broker refuses it from now on.";
            DeviceId = null;
            Reason = null;
        }

        await LoadAsync();
        return Page();
    }

    private async Task<bool> IsAdminAsync() => (await authorization.AuthorizeAsync(User, UserPolicies.Admin)).Succeeded;

    private async Task LoadAsync()
    {
        IsAdmin = await IsAdminAsync();
        Applied = custody.CatchUp();
        Rows = DeviceActivityEndpoints.Rows(registry, activity, acks, statuses);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} enrolled device {Device} from the web UI (log entry {Index})")]
    private partial void LogEnrolled(string actor, string device, long index);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} revoked device {Device} from the web UI (log entry {Index})")]
    private partial void LogRevoked(string actor, string device, long index);
}
