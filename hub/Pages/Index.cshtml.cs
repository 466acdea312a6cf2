using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SupplyChain.Hub.Pages;

/// <summary><c>/</c>: the counter's first task is verifying, so home is the verify page.</summary>
internal sealed class IndexModel : PageModel
{
    public RedirectResult OnGet() => Redirect("/verify");
}
