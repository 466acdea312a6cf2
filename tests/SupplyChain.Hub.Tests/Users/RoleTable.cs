using System.Text;

namespace SupplyChain.Hub.Tests.Users;

/// <summary>
/// Who may do what over HTTP (issue #7 item 9): every endpoint and every page handler of the hub with the roles allowed
/// to call it. It is the documentation as well: <see cref="Markdown"/> renders it into docs/API.md "Who may call what",
/// and <c>RoleTableTests</c> checks both the hub's answers and the doc against it.
/// </summary>
internal static class RoleTable
{
    /// <summary>The callers, in the doc's column order; <see cref="Anonymous"/> sends no token and has no session.</summary>
    public static readonly string[] Callers = [Anonymous, "pharmacist", "quality", "warehouse", "auditor", "admin"];

    public const string Anonymous = "anonymous";

    private static readonly string[] AllRoles = [.. Callers.Skip(1)];

    // Who: Open = anyone, even without a token; Everyone = any signed-in role; else the roles named.
    private static readonly string[] Open = [Anonymous, .. AllRoles];
    private static readonly string[] Everyone = AllRoles;

    /// <summary>The JSON API and the other routes (tiles, OpenAPI): "METHOD pattern" as the hub maps it.</summary>
    public static readonly IReadOnlyList<(string Key, string[] Allowed)> Api =
    [
        ("GET /v1/log/checkpoint", Open),
        ("GET /v1/log/key", Open),
        ("GET /v1/log/entries/{index}", Open),
        ("GET /v1/log/proof/inclusion", Open),
        ("GET /v1/log/proof/inclusion-by-hash", Open),
        ("GET /v1/log/proof/consistency", Open),
        ("GET /v1/log/proof/bundle/{index}", Open),
        ("GET /v1/log/audit", Open),
        ("GET /v1/log/consistency", Open),
        ("POST /v1/log/audit", ["auditor", "admin"]),
        ("POST /v1/verify", Open),
        ("GET /v1/packs/{gtin}/{serial}/verification", Open),
        ("GET /v1/me", Everyone),
        ("POST /v1/dispense", ["pharmacist"]),
        ("POST /v1/dispense/undo", ["pharmacist"]),
        ("POST /v1/recalls/preview", ["quality", "auditor"]),
        ("POST /v1/recalls", ["quality"]),
        ("GET /v1/recalls", Everyone),
        ("GET /v1/recalls/{id}", Everyone),
        ("GET /v1/recalls/{id}/packs.csv", Everyone),
        ("POST /v1/recalls/{id}/close", ["quality"]),
        ("POST /v1/quarantine/release", ["quality"]),
        ("GET /v1/alerts", Everyone),
        ("GET /v1/coldchain/locations", Everyone),
        ("GET /v1/coldchain/excursions", Everyone),
        ("GET /v1/coldchain/series", Everyone),
        ("GET /v1/epcis/events", Everyone),
        ("GET /v1/epcis/export", Everyone),
        ("GET /v1/devices", ["warehouse", "auditor", "admin"]),
        ("GET /v1/devices/activity", ["warehouse", "auditor", "admin"]),
        ("POST /v1/devices", ["admin"]),
        ("POST /v1/devices/{id}/revoke", ["admin"]),
        ("GET /checkpoint", Open),
        ("GET /tile/{**path}", Open),
        ("GET /openapi/v1.json", Open),
    ];

    /// <summary>The web UI: "METHOD /path[?handler=name]" for every page and handler method of its page model.</summary>
    public static readonly IReadOnlyList<(string Key, string[] Allowed)> Pages =
    [
        ("GET /account/signin", Open),
        ("POST /account/signin", Open),
        ("GET /account/signout", Everyone),
        ("POST /account/signout", Everyone),
        ("GET /", Everyone),
        ("GET /verify", Everyone),
        ("GET /verify?handler=proof", Everyone),
        ("POST /verify?handler=dispense", ["pharmacist"]),
        ("POST /verify?handler=undo", ["pharmacist"]),
        ("GET /recalls", Everyone),
        ("GET /recalls/new", ["quality", "auditor"]),
        ("POST /recalls/new?handler=preview", ["quality", "auditor"]),
        ("POST /recalls/new?handler=open", ["quality"]),
        ("GET /recalls/{id}", Everyone),
        ("GET /recalls/{id}?handler=csv", Everyone),
        ("POST /recalls/{id}?handler=close", ["quality"]),
        ("GET /coldchain", Everyone),
        ("GET /devices", ["warehouse", "auditor", "admin"]),
        ("POST /devices?handler=enroll", ["admin"]),
        ("POST /devices?handler=revoke", ["admin"]),
        ("GET /log", Everyone),
        ("POST /log?handler=audit", ["auditor", "admin"]),
    ];

    /// <summary>What <paramref name="caller"/> gets: <c>yes</c>, or the refusal (API: 401/403; pages: sign-in/403).</summary>
    public static string Expected(string[] allowed, string caller, bool page) =>
        allowed.Contains(caller) ? "yes" : caller == Anonymous ? (page ? "sign-in" : "401") : "403";

    /// <summary>The table as docs/API.md shows it, between its two marker lines.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| request | ").AppendJoin(" | ", Callers).Append(" |\n");
        text.Append("| --- |").Append(string.Concat(Callers.Select(_ => " --- |"))).Append('\n');
        foreach (var (rows, page) in new[] { (Api, false), (Pages, true) })
        {
            foreach (var (key, allowed) in rows)
            {
                text.Append("| `").Append(key).Append("` | ")
                    .AppendJoin(" | ", Callers.Select(caller => Expected(allowed, caller, page)))
                    .Append(" |\n");
            }
        }

        return text.ToString();
    }
}
