using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Pages.Recalls;

/// <summary><c>/recalls</c>: every recall, newest first, with its progress; quality opens new ones from here.</summary>
internal sealed class IndexModel(CustodyState custody, RecallLedger ledger, TimeProvider time) : PageModel
{
    public IReadOnlyList<RecallView> Recalls { get; private set; } = [];

    /// <summary>Opening a recall is for quality; the page shows the button only to them.</summary>
    public bool CanOpen => User.IsInRole(UserRoles.Name(UserRole.Quality));

    /// <summary>Previews are for quality and auditors.</summary>
    public bool CanPreview => CanOpen || User.IsInRole(UserRoles.Name(UserRole.Auditor));

    public void OnGet()
    {
        var now = time.GetUtcNow();
        Recalls = custody.Read((rules, _) => ledger.List().Select(r => RecallViews.View(rules, ledger, r, now, withPacks: false)).ToList());
    }
}
