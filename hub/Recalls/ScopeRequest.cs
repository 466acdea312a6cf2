using System.Globalization;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.Recalls;

/// <summary>
/// A recall scope as people send it (docs/API.md "Recalls"): <c>type</c> <c>lot</c> (<c>gtin</c>, <c>lot</c>),
/// <c>serials</c> (<c>gtin</c> + <c>serials</c>, and/or <c>packs</c> as scans or Digital Link URIs), <c>container</c>
/// (<c>sscc</c>), <c>exposure</c> (<c>location</c> GLN or <c>sscc</c>, <c>from</c>, <c>to</c> as ISO 8601 with an offset;
/// kept to the millisecond, as the log writes them).
/// </summary>
internal sealed record ScopeRequest(
    string? Type,
    string? Gtin,
    string? Lot,
    IReadOnlyList<string>? Serials,
    IReadOnlyList<string>? Packs,
    string? Sscc,
    string? Location,
    string? From,
    string? To)
{
    public bool TryToScope(DateTimeOffset now, out RecallScope scope, out string problem)
    {
        scope = null!;
        switch (Type)
        {
            case RecallScopeWire.Lot:
                if (!Contracts.Gs1.Gtin.TryParse(Gtin, out var gtin, out problem) || !Contracts.Gs1.Lot.TryParse(Lot, out var lot, out problem))
                {
                    problem = Gtin is null || Lot is null ? "a lot scope needs gtin and lot" : problem;
                    return false;
                }

                scope = new LotRecallScope(gtin, lot.Value);
                return true;
            case RecallScopeWire.Serials:
                if (!PackInput.TryParse(Gtin, Serials, Packs, now, out var packs, out problem))
                {
                    return false;
                }

                scope = new SerialsRecallScope(packs);
                return true;
            case RecallScopeWire.Container:
                if (!Contracts.Gs1.Sscc.TryParse(Sscc, out var sscc, out problem))
                {
                    problem = $"sscc: {problem}";
                    return false;
                }

                scope = new ContainerRecallScope(sscc);
                return true;
            case RecallScopeWire.Exposure:
                return TryExposure(out scope, out problem);
            default:
                problem = $"scope.type must be {RecallScopeWire.Lot}, {RecallScopeWire.Serials}, {RecallScopeWire.Container} or {RecallScopeWire.Exposure}";
                return false;
        }
    }

    private bool TryExposure(out RecallScope scope, out string problem)
    {
        scope = null!;
        Place place;
        if (Location is not null && Sscc is null && Gln.TryParse(Location, out var gln, out problem))
        {
            place = Place.Site(gln);
        }
        else if (Sscc is not null && Location is null && Contracts.Gs1.Sscc.TryParse(Sscc, out var sscc, out problem))
        {
            place = Place.Container(sscc);
        }
        else
        {
            problem = Location is null == Sscc is null
                ? "an exposure scope names either a location (GLN) or an sscc"
                : $"{(Location is null ? "sscc" : "location")}: not valid";
            return false;
        }

        if (!TryTime(From, out var from) || !TryTime(To, out var to))
        {
            problem = "from and to must be ISO 8601 times with an offset, e.g. 2026-03-01T08:00:00Z";
            return false;
        }

        if (from >= to)
        {
            problem = "from must be before to";
            return false;
        }

        scope = new ExposureRecallScope(place, from, to);
        return true;
    }

    private static bool TryTime(string? text, out DateTimeOffset time)
    {
        time = default;
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed)
            || !HasOffset(text))
        {
            return false;
        }

        // The log keeps milliseconds (PROTOCOL.md §4.6); the preview and the recall must agree on the same window.
        time = new DateTimeOffset(parsed.UtcTicks - (parsed.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        return true;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}

/// <summary>Packs named in a request: <c>gtin</c> with <c>serials</c>, and/or <c>packs</c> as GS1 scans or Digital Link URIs.</summary>
internal static class PackInput
{
    public const int MaxPacks = 1000;

    public static bool TryParse(
        string? gtinText, IReadOnlyList<string>? serials, IReadOnlyList<string>? scans, DateTimeOffset now, out List<PackKey> packs, out string problem)
    {
        packs = [];
        if (serials is { Count: > 0 })
        {
            if (!Gtin.TryParse(gtinText, out var gtin, out problem))
            {
                problem = $"gtin: {problem}";
                return false;
            }

            foreach (var text in serials)
            {
                if (!Serial.TryParse(text, out var serial, out problem))
                {
                    problem = $"serial '{text}': {problem}";
                    return false;
                }

                packs.Add(new PackKey(gtin, serial));
            }
        }

        foreach (var text in scans ?? [])
        {
            var parsed = Gs1Parser.Parse(text, now);
            if (!parsed.IsSuccess || parsed.Value!.Gtin is not { } gtin || parsed.Value.Serial is not { } serial)
            {
                problem = $"pack '{text}': not a GS1 scan or Digital Link URI with a GTIN (01) and a serial (21)";
                return false;
            }

            packs.Add(new PackKey(gtin, serial));
        }

        packs = [.. packs.Distinct().Order()];
        if (packs.Count == 0)
        {
            problem = "name at least one pack (gtin + serials, or packs)";
            return false;
        }

        if (packs.Count > MaxPacks)
        {
            problem = $"at most {MaxPacks} packs per request (a decision must fit one log leaf)";
            return false;
        }

        problem = string.Empty;
        return true;
    }
}
