using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;

namespace SupplyChain.Hub.ColdChain;

/// <summary>
/// A place as people and URLs write it: a site's GLN (13 digits), a container's SSCC (18 digits), their GS1 element
/// strings <c>(414)…</c> / <c>(00)…</c>, or their Digital Link URIs (<c>…/414/{gln}</c>, <c>…/00/{sscc}</c>).
/// </summary>
internal static class PlaceText
{
    // Digital Link parsing needs "now" only for the century of YYMMDD dates in a query string, which a place never has.
    private static readonly DateTimeOffset AnyDay = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool TryParse(string? text, out Place place, out string reason)
    {
        place = default;
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            reason = "place is required: a GLN (13 digits) or an SSCC (18 digits)";
            return false;
        }

        if (trimmed.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            var scan = Gs1DigitalLink.Parse(trimmed, AnyDay);
            if (scan.IsSuccess && scan.Value!.Sscc is { } container)
            {
                place = Place.Container(container);
                reason = string.Empty;
                return true;
            }

            if (scan.IsSuccess && scan.Value!.Location is { } site)
            {
                place = Place.Site(site);
                reason = string.Empty;
                return true;
            }

            reason = "place: a Digital Link URI must name a site (414) or a container (00)";
            return false;
        }

        var digits = trimmed.StartsWith("(414)", StringComparison.Ordinal) ? trimmed[5..]
            : trimmed.StartsWith("(00)", StringComparison.Ordinal) ? trimmed[4..]
            : trimmed;
        if (digits.Length == 13)
        {
            if (!Gln.TryParse(digits, out var gln, out reason))
            {
                reason = $"place: {reason}";
                return false;
            }

            place = Place.Site(gln);
            return true;
        }

        if (digits.Length == 18)
        {
            if (!Sscc.TryParse(digits, out var sscc, out reason))
            {
                reason = $"place: {reason}";
                return false;
            }

            place = Place.Container(sscc);
            return true;
        }

        reason = "place must be a GLN (13 digits) or an SSCC (18 digits)";
        return false;
    }

    /// <summary>How a place is written in URLs and JSON: its GLN or SSCC digits (the length tells which).</summary>
    public static string Key(Place place) => place.Id;

    public static string KindName(Place place) => place.Kind == PlaceKind.Site ? "site" : "container";
}
