using System.Globalization;
using System.Text.Json;
using SupplyChain.Contracts.Rules;

namespace SupplyChain.Hub.Verification;

/// <summary>
/// A verification answer (DESIGN §6 "Verification", docs/API.md): verified yes/no, a status, the failure reasons, custody
/// and cold-chain summaries, and a C2SP tlog-proof for every log entry the answer relied on, with the log's key.
/// </summary>
internal sealed record VerificationResponse(
    string Pack,
    string Gtin,
    string Serial,
    bool Verified,
    string Status,
    IReadOnlyList<string> Reasons,
    string? Lot,
    string? Expiry,
    CustodyView? Custody,
    ColdChainView? ColdChain,
    string LogKey,
    IReadOnlyList<ProofView> Proofs)
{
    public static VerificationResponse From(VerificationAnswer answer, string logKey, IReadOnlyList<ProofView> proofs) => new(
        answer.Pack.ToDigitalLink(),
        answer.Pack.Gtin.Value,
        answer.Pack.Serial.Value,
        answer.Verified,
        Code(answer.Status),
        [.. answer.Reasons.Select(r => Code(r))],
        answer.Lot,
        answer.Expiry?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        answer.Custody is { } custody ? CustodyView.From(custody) : null,
        answer.ColdChain is { } coldChain ? ColdChainView.From(coldChain) : null,
        logKey,
        proofs);

    /// <summary>Enum members as the API spells them: <c>UnknownSerial</c> → <c>unknown_serial</c>.</summary>
    public static string Code<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static string SiteUri(string gln) => $"{PackKey.IdentifierBase}/414/{gln}";

    public static string PlaceUri(Place place) =>
        place.Kind == PlaceKind.Site ? SiteUri(place.Id) : $"{PackKey.IdentifierBase}/00/{place.Id}";
}

/// <summary>Where the pack is and who holds it; sites and places as GS1 Digital Link URIs.</summary>
internal sealed record CustodyView(
    string Lifecycle,
    string Custodian,
    string? ShippedTo,
    string? Location,
    int Handoffs,
    DateTimeOffset Since,
    string? DispensedAt,
    DateTimeOffset? DispensedTime,
    bool Broken)
{
    public static CustodyView From(CustodySummary custody) => new(
        VerificationResponse.Code(custody.Lifecycle),
        VerificationResponse.SiteUri(custody.Custodian.Value),
        custody.ShippedTo is { } to ? VerificationResponse.SiteUri(to.Value) : null,
        custody.Location is { } place ? VerificationResponse.PlaceUri(place) : null,
        custody.Handoffs,
        custody.Since,
        custody.DispensedAt is { } at ? VerificationResponse.SiteUri(at.Value) : null,
        custody.DispensedTime,
        custody.Broken);
}

/// <summary>The pack's cold chain against its product's profile; durations in minutes, MKT in °C.</summary>
internal sealed record ColdChainView(
    bool Profiled,
    bool Compromised,
    IReadOnlyList<string> Breaches,
    DateTimeOffset? CompromisedTime,
    DateTimeOffset? ReleasedTime,
    ExposureView? Exposure)
{
    public static ColdChainView From(ColdChainSummary coldChain) => new(
        coldChain.Profiled,
        coldChain.Compromised,
        [.. coldChain.Breaches.Select(b => VerificationResponse.Code(b))],
        coldChain.CompromisedTime,
        coldChain.ReleasedTime,
        coldChain.Exposure is { } exposure ? ExposureView.Of(exposure) : null);
}

/// <summary>The exposure the verdict was computed from (PROTOCOL §6).</summary>
internal sealed record ExposureView(
    DateTimeOffset From,
    DateTimeOffset Until,
    double MonitoredMinutes,
    double OutOfRangeMinutes,
    double LongestExcursionMinutes,
    double UnknownMinutes,
    double? Mkt,
    double? WindowMkt,
    bool UnknownTooLong)
{
    public static ExposureView Of(ExposureReport report) => new(
        report.From,
        report.Until,
        report.Monitored.TotalMinutes,
        report.OutOfRange.TotalMinutes,
        report.LongestExcursion.TotalMinutes,
        report.Unknown.TotalMinutes,
        report.Mkt,
        report.WindowMkt,
        report.UnknownTooLong);
}

/// <summary>
/// One log entry the answer relied on: its RFC 9162 leaf hash (base64) and its C2SP tlog-proof, or <c>pending</c> when no
/// checkpoint covers it yet (ask again in a moment).
/// </summary>
internal sealed record ProofView(long Index, string Kind, string LeafHash, bool Pending, string? Bundle);
