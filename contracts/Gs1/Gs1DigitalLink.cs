using System.Text;

namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// GS1 Digital Link URIs (GS1 Digital Link standard, URI syntax): <c>https://{any host}/{stem…}/{primary key AI}/{value}
/// [/{qualifier AI}/{value}…][?{AI}={value}&amp;…]</c>. Primary keys: (01) with qualifiers (22), (10), (21) in that order,
/// (00), (414) with qualifier (254), and (8004). Other AIs, such as (17), go in the query string.
/// </summary>
public static class Gs1DigitalLink
{
    private static readonly string[] PrimaryKeys = ["01", "00", "414", "8004"];

    /// <summary>Parses a Digital Link URI.</summary>
    /// <param name="uri">The URI, e.g. <c>https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426</c>.</param>
    /// <param name="now">Today, for the century of YYMMDD dates.</param>
    /// <param name="options">Parser options; <see cref="Gs1ParserOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The scan, or why the URI was rejected.</returns>
    public static Gs1Result<Gs1Scan> Parse(string? uri, DateTimeOffset now, Gs1ParserOptions? options = null) =>
        ParseCore(uri ?? string.Empty, now, options ?? Gs1ParserOptions.Default, Gs1Symbology.Unspecified);

    /// <summary>
    /// Formats a scan as a Digital Link URI: the first primary key in the scan and its qualifiers in the path (for (01):
    /// 22, 10, 21, whatever order they were scanned in), every other AI in the query string in scan order.
    /// Values are percent-encoded except for RFC 3986 unreserved characters.
    /// </summary>
    /// <param name="scan">The scan.</param>
    /// <param name="baseUri">Absolute http(s) URI without query or fragment, e.g. <c>https://example.com</c> or <c>https://example.com/stem</c>.</param>
    /// <returns>The URI, or why there is none.</returns>
    public static Gs1Result<string> Format(Gs1Scan scan, string baseUri)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (!Uri.TryCreate(baseUri, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || parsed.Query.Length > 0
            || parsed.Fragment.Length > 0)
        {
            return Gs1Result<string>.Failure(
                Gs1ErrorCode.InvalidDigitalLink, $"'{baseUri}' is not an absolute http(s) URI without query or fragment.");
        }

        var key = scan.Elements.FirstOrDefault(e => PrimaryKeys.Contains(e.Ai));
        if (key is null)
        {
            return Gs1Result<string>.Failure(
                Gs1ErrorCode.NoPrimaryKey, "The scan has no AI that can be a Digital Link primary key: (00), (01), (414) or (8004).");
        }

        var uri = new StringBuilder(baseUri.TrimEnd('/'));
        uri.Append('/').Append(key.Ai).Append('/').Append(Escape(key.Value));
        var inPath = new HashSet<string>(StringComparer.Ordinal) { key.Ai };
        foreach (var qualifier in Qualifiers(key.Ai))
        {
            if (scan.TryGetValue(qualifier, out var value))
            {
                uri.Append('/').Append(qualifier).Append('/').Append(Escape(value));
                inPath.Add(qualifier);
            }
        }

        var separator = '?';
        foreach (var element in scan.Elements.Where(e => !inPath.Contains(e.Ai)))
        {
            uri.Append(separator).Append(element.Ai).Append('=').Append(Escape(element.Value));
            separator = '&';
        }

        return Gs1Result<string>.Success(uri.ToString());
    }

    internal static bool LooksLikeUri(string data) =>
        data.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || data.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    internal static Gs1Result<Gs1Scan> ParseCore(string uri, DateTimeOffset now, Gs1ParserOptions options, Gs1Symbology symbology)
    {
        if (uri.Length == 0)
        {
            return Gs1Parser.Fail(Gs1ErrorCode.EmptyInput, "The URI is empty.");
        }

        var schemeLength = uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7
            : 0;
        if (schemeLength == 0)
        {
            return Invalid("A GS1 Digital Link URI starts with http:// or https://.");
        }

        var rest = uri[schemeLength..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        rest = hash < 0 ? rest : rest[..hash];
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var pathPart = question < 0 ? rest : rest[..question];
        var query = question < 0 ? string.Empty : rest[(question + 1)..];

        var slash = pathPart.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return Invalid(slash == 0 ? "The URI has no host." : "The URI has no path, so it holds no GS1 key.");
        }

        var host = pathPart.AsSpan(0, slash);
        var badHost = host.IndexOfAnyExcept(HostCharacters);
        if (badHost >= 0)
        {
            return Invalid($"The host has a character a Digital Link host may not: {CharacterSet82.Describe(host[badHost])}.");
        }

        var path = pathPart[(slash + 1)..];
        if (path.EndsWith('/'))
        {
            return Invalid("The path ends with '/'; a Digital Link path ends with a value.");
        }

        var segments = path.Split('/');

        // The key is the rightmost primary-key AI with only AI/value pairs after it; anything before it is the stem
        // (gs1-syntax-engine dl.c: "stop at rightmost key").
        var keyIndex = -1;
        for (var i = segments.Length - 2; i >= 0; i -= 2)
        {
            if (PrimaryKeys.Contains(segments[i]))
            {
                keyIndex = i;
                break;
            }
        }

        if (keyIndex < 0)
        {
            return Gs1Parser.Fail(
                Gs1ErrorCode.NoPrimaryKey, "The path holds no primary key /00/, /01/, /414/ or /8004/ followed by AI/value pairs only.");
        }

        var key = segments[keyIndex];
        var raw = new List<RawElement> { Raw(key, Decode(segments[keyIndex + 1], isQuery: false), options) };
        var qualifiers = Qualifiers(key);
        var nextQualifier = 0;
        for (var i = keyIndex + 2; i < segments.Length; i += 2)
        {
            var found = Array.IndexOf(qualifiers, segments[i], nextQualifier);
            if (found < 0)
            {
                return Invalid(
                    $"/{segments[i]}/ is not a qualifier of ({key}) at this point of the path (allowed in order: {(qualifiers.Length == 0 ? "none" : string.Join(", ", qualifiers))}).");
            }

            nextQualifier = found + 1;
            raw.Add(Raw(segments[i], Decode(segments[i + 1], isQuery: false), options));
        }

        foreach (var parameter in query.Split('&'))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? string.Empty : parameter[..equals];

            // Parameters that are not all digits (linkType, context, singletons) are not AIs and are ignored, as gs1-syntax-engine does.
            if (name.Length == 0 || name.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                continue;
            }

            if (ApplicationIdentifiers.Find(name) is null && ApplicationIdentifiers.PredefinedLength(name)?.AiLength != name.Length)
            {
                return Gs1Parser.Fail(Gs1ErrorCode.UnknownAi, $"Query parameter {name} is not an AI ColdTrace knows or can size.", name);
            }

            if (qualifiers.Contains(name))
            {
                return Invalid($"AI ({name}) qualifies ({key}) and belongs in the path, not the query string.");
            }

            raw.Add(Raw(name, Decode(parameter[(equals + 1)..], isQuery: true), options));
        }

        return Gs1Parser.Complete(raw, now, symbology, Gs1SyntaxForm.DigitalLink, anyDuplicateIsError: true);
    }

    private static Gs1Result<Gs1Scan> Invalid(string message) => Gs1Parser.Fail(Gs1ErrorCode.InvalidDigitalLink, message);

    private static RawElement Raw(string ai, string value, Gs1ParserOptions options)
    {
        if (ai == "01" && options.AllowZeroSuppressedGtinInDigitalLink && value.Length is 8 or 12 or 13 && Gtin.Check(value) is null)
        {
            value = value.PadLeft(14, '0');
        }

        return new RawElement(ai, value, ApplicationIdentifiers.Find(ai));
    }

    private static string[] Qualifiers(string primaryKey) => primaryKey switch
    {
        "01" => ["22", "10", "21"],
        "414" => ["254"],
        _ => [],
    };

    /// <summary>
    /// Percent-decoding (RFC 3986 §2.1). Each %XX becomes the character with that code, so anything outside set 82
    /// (including %00 and UTF-8 bytes) is rejected later as a bad character. A '%' not followed by two hex digits stays
    /// literal, as in gs1-syntax-engine; '+' means space only in the query (WHATWG form encoding).
    /// </summary>
    private static string Decode(string text, bool isQuery)
    {
        var decoded = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                decoded.Append((char)Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                decoded.Append(isQuery && text[i] == '+' ? ' ' : text[i]);
            }
        }

        return decoded.ToString();
    }

    /// <summary>Percent-encodes everything but RFC 3986 unreserved characters (<c>A–Z a–z 0–9 - . _ ~</c>), as gs1-syntax-engine does.</summary>
    private static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> HostCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:[]");
}
