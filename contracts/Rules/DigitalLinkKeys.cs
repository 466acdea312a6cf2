using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Rules;

/// <summary>Reads the GS1 keys the rules need out of event identifiers (GS1 Digital Link URIs, PROTOCOL.md §2.1).</summary>
internal static class DigitalLinkKeys
{
    // The parse only needs "now" for the century of YYMMDD dates in a query string, which the rules never read.
    private static readonly DateTimeOffset AnyDay = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool TryRead(string? uri, out Gs1Scan scan, out string reason)
    {
        var result = Gs1DigitalLink.Parse(uri, AnyDay);
        scan = result.Value!;
        reason = result.IsSuccess ? string.Empty : $"'{uri}' is not a GS1 Digital Link URI: {result.Error!.Message}";
        return result.IsSuccess;
    }

    /// <summary>A site or party: primary key (414).</summary>
    public static bool TrySite(string? uri, out Gln site)
    {
        site = default;
        if (!TryRead(uri, out var scan, out _) || scan.Location is not { } gln)
        {
            return false;
        }

        site = gln;
        return true;
    }

    /// <summary>A logistic unit: primary key (00).</summary>
    public static bool TryContainer(string? uri, out Sscc container)
    {
        container = default;
        if (!TryRead(uri, out var scan, out _) || scan.Sscc is not { } sscc)
        {
            return false;
        }

        container = sscc;
        return true;
    }
}
