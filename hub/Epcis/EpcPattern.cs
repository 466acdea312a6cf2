using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Hub.Epcis;

/// <summary>
/// One value of <c>MATCH_epc</c> (EPCIS 2.0 §8.2.7.1.1): a GS1 Digital Link URI (any resolver host; the primary key and
/// serial decide), an EPC pure identity URI (<c>urn:epc:id:sgtin:…</c>, <c>urn:epc:id:sscc:…</c>), or an EPC pure
/// identity pattern (<c>urn:epc:idpat:sgtin:CP.IR.*</c>, <c>CP.*.*</c>, <c>*.*.*</c>, <c>urn:epc:idpat:sscc:CP.*</c>,
/// <c>*.*</c>). EPC URNs are matched against our Digital Link epcs through the GTIN or SSCC they denote
/// (GS1 EPC TDS 2.1 §6.3.1 and §6.3.2: indicator or extension digit, company prefix, the rest, check digit), which needs
/// no company prefix table. Any other absolute URI matches only itself.
/// </summary>
internal sealed class EpcPattern
{
    private readonly string? _uri;
    private readonly DigitalLinkKey? _key;
    private readonly string? _ai;
    private readonly string? _keyPrefix;
    private readonly string? _serial;
    private readonly bool _anySerial;

    private EpcPattern(string? uri, DigitalLinkKey? key, string? ai, string? keyPrefix, string? serial, bool anySerial)
    {
        _uri = uri;
        _key = key;
        _ai = ai;
        _keyPrefix = keyPrefix;
        _serial = serial;
        _anySerial = anySerial;
    }

    public static bool TryParse(string text, out EpcPattern pattern, out string reason)
    {
        pattern = null!;
        reason = string.Empty;
        if (text.StartsWith("urn:epc:id:sgtin:", StringComparison.Ordinal) || text.StartsWith("urn:epc:idpat:sgtin:", StringComparison.Ordinal))
        {
            return TrySgtin(text, out pattern, out reason);
        }

        if (text.StartsWith("urn:epc:id:sscc:", StringComparison.Ordinal) || text.StartsWith("urn:epc:idpat:sscc:", StringComparison.Ordinal))
        {
            return TrySscc(text, out pattern, out reason);
        }

        if (text.StartsWith("urn:epc:", StringComparison.Ordinal))
        {
            reason = "only sgtin and sscc EPC URIs and patterns are supported";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out _))
        {
            reason = "not an absolute URI";
            return false;
        }

        pattern = new EpcPattern(text, DigitalLinkKey.TryParse(text), null, null, null, anySerial: false);
        return true;
    }

    public bool Matches(string epc)
    {
        if (_uri is not null)
        {
            return _key is { } key && DigitalLinkKey.TryParse(epc) is { } other ? key == other : string.Equals(_uri, epc, StringComparison.Ordinal);
        }

        if (DigitalLinkKey.TryParse(epc) is not { } found || found.Ai != _ai)
        {
            return false;
        }

        // The key without its first digit (indicator or extension) starts with the company prefix; a whole key is exact.
        var keyMatches = _keyPrefix is null
            || (_keyPrefix.Length == found.Key.Length ? found.Key == _keyPrefix : found.Key.AsSpan(1).StartsWith(_keyPrefix, StringComparison.Ordinal));
        return keyMatches && (_anySerial || string.Equals(found.Serial, _serial, StringComparison.Ordinal));
    }

    // urn:epc:id:sgtin:CompanyPrefix.IndicatorItemRef.Serial; idpat allows * for the serial, then the item, then the prefix.
    private static bool TrySgtin(string text, out EpcPattern pattern, out string reason)
    {
        pattern = null!;
        var isPattern = text.StartsWith("urn:epc:idpat:", StringComparison.Ordinal);
        var parts = text[(text.LastIndexOf(':') + 1)..].Split('.');
        reason = "an sgtin is CompanyPrefix.IndicatorItemReference.Serial (13 digits before the serial)";
        if (parts.Length != 3)
        {
            return false;
        }

        var (prefix, item, serial) = (parts[0], parts[1], parts[2]);
        if (isPattern && prefix == "*" && item == "*" && serial == "*")
        {
            pattern = new EpcPattern(null, null, "01", null, null, anySerial: true);
            return true;
        }

        if (!IsDigits(prefix) || prefix.Length is < 6 or > 12)
        {
            return false;
        }

        if (isPattern && item == "*" && serial == "*")
        {
            pattern = new EpcPattern(null, null, "01", prefix, null, anySerial: true);
            return true;
        }

        if (!IsDigits(item) || prefix.Length + item.Length != 13 || (serial == "*" && !isPattern) || serial.Length == 0)
        {
            return false;
        }

        var body = item[..1] + prefix + item[1..];
        if (!Gs1CheckDigit.TryCompute(body, out var check))
        {
            return false;
        }

        pattern = new EpcPattern(null, null, "01", body + check, serial == "*" ? null : Uri.UnescapeDataString(serial), anySerial: serial == "*");
        return true;
    }

    // urn:epc:id:sscc:CompanyPrefix.ExtensionSerialReference; idpat allows * for the serial reference, then the prefix.
    private static bool TrySscc(string text, out EpcPattern pattern, out string reason)
    {
        pattern = null!;
        var isPattern = text.StartsWith("urn:epc:idpat:", StringComparison.Ordinal);
        var parts = text[(text.LastIndexOf(':') + 1)..].Split('.');
        reason = "an sscc is CompanyPrefix.ExtensionSerialReference (17 digits)";
        if (parts.Length != 2)
        {
            return false;
        }

        var (prefix, reference) = (parts[0], parts[1]);
        if (isPattern && prefix == "*" && reference == "*")
        {
            pattern = new EpcPattern(null, null, "00", null, null, anySerial: true);
            return true;
        }

        if (!IsDigits(prefix) || prefix.Length is < 6 or > 12)
        {
            return false;
        }

        if (isPattern && reference == "*")
        {
            pattern = new EpcPattern(null, null, "00", prefix, null, anySerial: true);
            return true;
        }

        if (!IsDigits(reference) || prefix.Length + reference.Length != 17)
        {
            return false;
        }

        var body = reference[..1] + prefix + reference[1..];
        if (!Gs1CheckDigit.TryCompute(body, out var check))
        {
            return false;
        }

        pattern = new EpcPattern(null, null, "00", body + check, null, anySerial: true);
        return true;
    }

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}

/// <summary>The primary key of a GS1 Digital Link URI path (GS1 Digital Link 1.2 §4): <c>/01/{gtin}[/21/{serial}]</c>, <c>/00/{sscc}</c>.</summary>
internal readonly record struct DigitalLinkKey(string Ai, string Key, string? Serial)
{
    public static DigitalLinkKey? TryParse(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
        {
            return null;
        }

        var segments = parsed.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            switch (segments[i])
            {
                case "01":
                    var serial = i + 3 < segments.Length && segments[i + 2] == "21" ? Uri.UnescapeDataString(segments[i + 3]) : null;
                    return new DigitalLinkKey("01", segments[i + 1], serial);
                case "00":
                    return new DigitalLinkKey("00", segments[i + 1], null);
            }
        }

        return null;
    }
}
