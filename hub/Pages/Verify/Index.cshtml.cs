using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Charts;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Dispensing;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Users;
using SupplyChain.Hub.Verification;
using SupplyChain.Hub.Web;

namespace SupplyChain.Hub.Pages.Verify;

/// <summary>
/// <c>/verify</c>: paste or scan a code (a USB scanner types into the focused field and presses Enter), get one big
/// answer at the signed-in user's site, the custody timeline, the temperatures of the journey against the allowed range,
/// the proof bundle as a file (the <c>POST /v1/verify</c> answer), and for pharmacists dispense and undo
/// (<see cref="DispenseDesk"/>, the same as <c>POST /v1/dispense</c>).
/// </summary>
[EnableRateLimiting(RateLimits.Verify)]
internal sealed partial class IndexModel(
    ScanVerifier verifier,
    CustodyState custody,
    LogReader log,
    IDeviceRegistry devices,
    DispenseDesk desk,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    TimeProvider time,
    ILogger<IndexModel> logger) : PageModel
{
    /// <summary>What was scanned or pasted: GS1 element string, <c>(01)…(21)…</c> or a GS1 Digital Link URI.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public VerificationResponse? Answer { get; private set; }

    public PackJourney? Journey { get; private set; }

    public string? Chart { get; private set; }

    /// <summary>Why the code could not be verified at all (not a GS1 code, no serial).</summary>
    public string? Problem { get; private set; }

    /// <summary>The outcome of a dispense or undo just made.</summary>
    public string? Notice { get; private set; }

    public bool NoticeGood { get; private set; }

    public IReadOnlyList<string> NoticeReasons { get; private set; } = [];

    public SiteLabels Sites => field ??= SiteLabels.From(devices);

    public bool IsPharmacist => User.IsInRole(UserRoles.Name(UserRole.Pharmacist));

    public string? Site => UserPrincipal.Site(User);

    public void OnGet()
    {
        if (!string.IsNullOrWhiteSpace(Code))
        {
            Verify(Code);
        }
    }

    /// <summary>The proof bundle as a file: exactly the JSON <c>POST /v1/verify</c> answers for this code and site.</summary>
    public IActionResult OnGetProof()
    {
        if (string.IsNullOrWhiteSpace(Code) || !Verify(Code))
        {
            return Page();
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(Answer, json.Value.SerializerOptions);
        LogProofDownloaded(Actor, Answer!.Pack);
        return File(bytes, "application/json", $"coldtrace-proof-{Answer.Gtin}-{Answer.Serial}.json");
    }

    public Task<IActionResult> OnPostDispenseAsync(CancellationToken cancellationToken) =>
        DecideAsync((pack, actor) => desk.DispenseAsync(pack, actor, cancellationToken), "Dispensed", "Not dispensed");

    public Task<IActionResult> OnPostUndoAsync(CancellationToken cancellationToken) =>
        DecideAsync((pack, actor) => desk.UndoAsync(pack, actor, cancellationToken), "Dispense undone: the pack is back in stock", "Not undone");

    /// <summary>The one big answer: green safe, amber "not here / not known yet", red for everything else.</summary>
    public (string Css, string Verdict) Headline()
    {
        if (Answer is not { } answer)
        {
            return ("bad", string.Empty);
        }

        if (answer.Verified)
        {
            return ("good", "Safe to dispense");
        }

        if (NoticeGood && answer.Custody?.Lifecycle == "dispensed")
        {
            return ("good", "Dispensed");
        }

        string[] amber = ["not_received_at_this_site", "cold_chain_unknown"];
        return answer.Reasons.All(r => amber.Contains(r, StringComparer.Ordinal))
            ? ("warn", "Do not dispense yet")
            : ("bad", "Do not dispense");
    }

    private string Actor => UserPrincipal.Actor(User);

    private async Task<IActionResult> DecideAsync(
        Func<PackKey, string, Task<(DispenseOutcome? Outcome, Hub.Recalls.DecisionRefusal? Refusal)>> decide, string done, string refused)
    {
        // Razor Pages ignore [Authorize] on handlers: the role is checked here (403 through the session scheme).
        if (!IsPharmacist)
        {
            return Forbid();
        }

        if (!TryPack(Code, out var pack))
        {
            return Page();
        }

        var (outcome, refusal) = await decide(pack, Actor);
        if (refusal is not null)
        {
            Notice = $"{refused}: {refusal.Detail}";
            Verify(Code!);
            return Page();
        }

        NoticeGood = outcome!.Done;
        NoticeReasons = outcome.Reasons;
        Notice = outcome.Done ? $"{done}. Logged at index {outcome.Index}." : $"{refused}. The attempt is logged at index {outcome.Index}.";
        Show(outcome.Pack);
        return Page();
    }

    private bool TryPack(string? code, out PackKey pack)
    {
        pack = default;
        if (string.IsNullOrWhiteSpace(code))
        {
            Problem = "Scan or paste a code first.";
            return false;
        }

        var parsed = Gs1Parser.Parse(ScanInput.Normalize(code), time.GetUtcNow(), ScanInput.Keyboard);
        if (!parsed.IsSuccess || parsed.Value!.Gtin is not { } gtin || parsed.Value.Serial is not { } serial)
        {
            Problem = parsed.IsSuccess ? "This code has no serial number (21): it names a product, not a pack." : $"Not a GS1 code this page can read: {parsed.Error!.Message}";
            return false;
        }

        pack = new PackKey(gtin, serial);
        return true;
    }

    private bool Verify(string code)
    {
        Gln? site = Site is { } text && Gln.TryParse(text, out var gln, out _) ? gln : null;
        var outcome = verifier.Verify(ScanInput.Normalize(code), site, ScanInput.Keyboard);
        if (outcome.Answer is not { } answer)
        {
            Problem = outcome.Title == "Bad scan"
                ? $"Not a GS1 code this page can read ({outcome.Detail}). Scan again, or type it as (01)…(21)…"
                : $"{outcome.Title}: {outcome.Detail}";
            return false;
        }

        LogVerified(Actor, answer.Pack, answer.Status, answer.Verified);
        Show(answer);
        return true;
    }

    private void Show(VerificationResponse answer)
    {
        Answer = answer;
        var pack = PackKey.TryParse(answer.Pack, out var key, out _) ? key : default;
        Journey = PackJourney.Of(pack, answer.Proofs.Select(p => p.Index), custody, log, Sites, time.GetUtcNow());
        Chart = SvgChart.Render("Temperatures of this pack's journey", Journey.Temperatures, Journey.From, Journey.To, Journey.Band);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} verified {Pack} in the web UI: {Status} (verified {Verified})")]
    private partial void LogVerified(string actor, string pack, string status, bool verified);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} downloaded the proof bundle of {Pack}")]
    private partial void LogProofDownloaded(string actor, string pack);
}
