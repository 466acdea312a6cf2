using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Hub.Demo;

/// <summary>
/// A pack for a new user to try on the verify page or <c>POST /v1/verify</c>, asked from <paramref name="Site"/>, with
/// the answer the hub gives (checked through <see cref="Verification.ScanVerifier"/> before it is printed).
/// </summary>
internal sealed record DemoExample(string Title, string Serial, string Lot, DemoSite Site, string Expect)
{
    public const string DigitalLinkBase = "https://id.gs1.org";

    /// <summary>The label's human-readable text, <c>(01)…(21)…(10)…(17)…</c> (GS1 GenSpecs §4.15).</summary>
    public string Bracketed => DemoSites.Bracketed(Serial, Lot);

    /// <summary>The same pack as a GS1 Digital Link URI: lot and serial in the path, expiry in the query.</summary>
    public string DigitalLink(DateTimeOffset now)
    {
        var scan = Gs1Parser.Parse(Bracketed, now);
        var uri = scan.IsSuccess ? scan.Value!.ToDigitalLink(DigitalLinkBase) : null;
        return uri is { IsSuccess: true } ? uri.Value! : throw new InvalidOperationException($"{Bracketed} has no Digital Link: {scan.Error?.Message ?? uri?.Error?.Message}");
    }
}
