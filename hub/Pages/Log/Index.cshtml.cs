using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Audit;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Pages.Log;

/// <summary>
/// <c>/log</c>: the latest signed checkpoint and the hub's verifier key, a consistency check between any two sizes
/// (<see cref="ConsistencyCheck"/>), and the in-hub audit (<see cref="AuditRunner"/>), which admins and auditors start.
/// </summary>
internal sealed partial class IndexModel(
    LogReader reader,
    HubSigningKey key,
    ConsistencyCheck consistency,
    AuditRunner audit,
    IAuthorizationService authorization,
    ILogger<IndexModel> logger) : PageModel
{
    public StoredCheckpoint? Checkpoint { get; private set; }

    /// <summary>The checkpoint's note text without signatures (origin, size, root), when it verifies with the hub's key.</summary>
    public string? CheckpointBody { get; private set; }

    public string VerifierKey => key.VerifierKey;

    public AuditStatus Audit { get; private set; } = AuditStatus.Never;

    public bool MayAudit { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public ConsistencyResult? Consistency { get; private set; }

    public string? ConsistencyError { get; private set; }

    public string? Message { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        if (Checkpoint is { Size: > 0 } latest && string.IsNullOrEmpty(From) && string.IsNullOrEmpty(To))
        {
            // Until someone asks otherwise, show the latest checkpoint proven consistent with the log at half its size.
            From = Math.Max(1, latest.Size / 2).ToString(CultureInfo.InvariantCulture);
            To = latest.Size.ToString(CultureInfo.InvariantCulture);
        }

        if (From is null && To is null)
        {
            return;
        }

        if (!long.TryParse(From, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(To, NumberStyles.None, CultureInfo.InvariantCulture, out var to))
        {
            ConsistencyError = "From and to are tree sizes: whole numbers.";
            return;
        }

        if (!consistency.TryCheck(from, to, out var result, out var reason))
        {
            ConsistencyError = char.ToUpperInvariant(reason[0]) + reason[1..] + ".";
            return;
        }

        Consistency = result;
    }

    public async Task<IActionResult> OnPostAuditAsync()
    {
        if (!await MayAuditAsync())
        {
            return Forbid();
        }

        var actor = UserPrincipal.Actor(User);
        if (audit.TryStart(actor))
        {
            LogAuditStarted(actor);
            Message = "Audit started: every entry, tile and checkpoint is being recomputed. Reload to follow it.";
        }
        else
        {
            Message = "An audit is already running.";
        }

        await LoadAsync();
        return Page();
    }

    private async Task<bool> MayAuditAsync() => (await authorization.AuthorizeAsync(User, AuditEndpoints.Auditors)).Succeeded;

    private async Task LoadAsync()
    {
        MayAudit = await MayAuditAsync();
        Audit = audit.Status;
        Checkpoint = reader.Checkpoint;
        if (Checkpoint is { } checkpoint && SignedNote.Open(checkpoint.Note, [key.Verifier]) is { IsVerified: true } opened)
        {
            CheckpointBody = opened.Text;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} started a log audit from the web UI")]
    private partial void LogAuditStarted(string actor);
}
