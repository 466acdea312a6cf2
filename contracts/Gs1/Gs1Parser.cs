using System.Text;

namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// Parses what a barcode scanner sends into a validated <see cref="Gs1Scan"/>, or says exactly why it cannot.
/// Accepts AI element strings (GS1 General Specifications §7.8) with or without an AIM symbology identifier
/// (ISO/IEC 15424), the bracketed human-readable form, GS1 Digital Link URIs, and EAN-13/EAN-8 numbers.
/// Never throws for bad input and never guesses how to split ambiguous data.
/// </summary>
public static class Gs1Parser
{
    /// <summary>ASCII GS (0x1D), how scanners transmit an FNC1 separator (GenSpecs §7.8.3).</summary>
    public const char GroupSeparator = '\u001D';

    /// <summary>Parses one scan.</summary>
    /// <param name="input">Scanner output, e.g. <c>]d2011231231231233310ABC123␝17260600</c> (␝ = GS).</param>
    /// <param name="now">Today, for the century of YYMMDD dates (GenSpecs §7.12).</param>
    /// <param name="options">Scanner quirks to accept; <see cref="Gs1ParserOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The scan, or the reason it was rejected.</returns>
    /// <exception cref="ArgumentException">The options name a separator substitute that could be data.</exception>
    public static Gs1Result<Gs1Scan> Parse(string? input, DateTimeOffset now, Gs1ParserOptions? options = null)
    {
        options ??= Gs1ParserOptions.Default;
        if (options.SeparatorSubstitute is { } substitute && !Gs1ParserOptions.IsUsableSubstitute(substitute))
        {
            throw new ArgumentException(
                $"The separator substitute {CharacterSet82.Describe(substitute)} is a character data may contain.",
                nameof(options));
        }

        // A scanner's CR/LF suffix terminates the scan; it is never data (neither is in set 82).
        var data = (input ?? string.Empty).TrimEnd('\r', '\n');
        if (data.Length == 0)
        {
            return Fail(Gs1ErrorCode.EmptyInput, "The scan is empty.");
        }

        if (data[0] == ']')
        {
            return ParseWithSymbologyIdentifier(data, now, options);
        }

        if (data[0] == '(')
        {
            return ParseBracketed(data, now);
        }

        if (Gs1DigitalLink.LooksLikeUri(data))
        {
            return Gs1DigitalLink.ParseCore(data, now, options, Gs1Symbology.Unspecified);
        }

        var separated = Substitute(data, options);
        return separated[0] == GroupSeparator || char.IsAsciiDigit(separated[0])
            ? ParseElementString(separated, Gs1Symbology.Unspecified, now, options)
            : Fail(
                Gs1ErrorCode.NotGs1Data,
                $"The scan starts with {CharacterSet82.Describe(data[0])}: it is not an element string, bracketed AIs or a Digital Link URI.");
    }

    /// <summary>Validates split-out AIs and builds the scan: formats, duplicates, then invalid pairs and mandatory associations.</summary>
    internal static Gs1Result<Gs1Scan> Complete(
        List<RawElement> raw,
        DateTimeOffset now,
        Gs1Symbology symbology,
        Gs1SyntaxForm form,
        bool anyDuplicateIsError)
    {
        var elements = new List<Gs1Element>(raw.Count);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (ai, value, definition) in raw)
        {
            var error = definition is not null
                ? definition.Validate(value, now)
                : FieldRules.Digits(value, ApplicationIdentifiers.PredefinedLength(ai)!.Value.DataLength, $"AI ({ai})", ai);
            if (error is not null)
            {
                return Gs1Result<Gs1Scan>.Failure(error);
            }

            if (seen.TryGetValue(ai, out var earlier))
            {
                // GenSpecs §4.14: the same AI twice is only tolerable when the data is identical; a Digital Link
                // URI may not repeat an AI at all (gs1-syntax-engine dl.c "Forbid duplicate AIs").
                if (anyDuplicateIsError || earlier != value)
                {
                    return Fail(Gs1ErrorCode.DuplicateAi, $"AI ({ai}) appears twice ({earlier} and {value}).", ai);
                }

                continue;
            }

            seen.Add(ai, value);
            elements.Add(new Gs1Element(ai, value, definition?.Title ?? string.Empty, definition is not null, definition is { PredefinedLength: false }));
        }

        foreach (var (ai, _, definition) in raw)
        {
            foreach (var excluded in definition?.Excludes ?? [])
            {
                if (seen.ContainsKey(excluded))
                {
                    return Fail(
                        Gs1ErrorCode.ConflictingAis,
                        $"AI ({ai}) {definition!.Title} must not appear together with AI ({excluded}) (GS1 GenSpecs §4.14.1).",
                        ai);
                }
            }
        }

        foreach (var (ai, _, definition) in raw)
        {
            if (definition is { Requires.Length: > 0 } && !definition.Requires.Any(seen.ContainsKey))
            {
                var needed = string.Join(" or ", definition.Requires.Select(r => $"({r})"));
                return Fail(
                    Gs1ErrorCode.MissingRequiredAi,
                    $"AI ({ai}) {definition.Title} requires AI {needed} in the same scan (GS1 GenSpecs §4.14.2).",
                    ai);
            }
        }

        Expiry? expiry = null;
        if (seen.TryGetValue("17", out var yymmdd))
        {
            Expiry.TryResolve(yymmdd, now, "Expiry (17)", "17", out var date);
            expiry = Expiry.FromChecked(yymmdd, date);
        }

        return Gs1Result<Gs1Scan>.Success(new Gs1Scan(symbology, form, [.. elements], expiry));
    }

    internal static Gs1Result<Gs1Scan> Fail(Gs1ErrorCode code, string message, string? ai = null) =>
        Gs1Result<Gs1Scan>.Failure(code, message, ai);

    private static Gs1Result<Gs1Scan> ParseWithSymbologyIdentifier(string data, DateTimeOffset now, Gs1ParserOptions options)
    {
        if (data.Length < 3)
        {
            return Fail(Gs1ErrorCode.UnknownSymbologyIdentifier, $"'{data}' is too short for a symbology identifier (]Cm).");
        }

        var body = data[3..];
        var identifier = data[..3];
        Gs1Symbology? elementString = identifier switch
        {
            "]d2" => Gs1Symbology.DataMatrix,
            "]C1" => Gs1Symbology.Gs1128,
            "]Q3" => Gs1Symbology.QrCode,
            "]e0" => Gs1Symbology.DataBar,
            _ => null,
        };
        if (elementString is { } symbology)
        {
            return body.Length == 0
                ? Fail(Gs1ErrorCode.EmptyInput, $"{identifier} announces GS1 data but none follows.")
                : ParseElementString(Substitute(body, options), symbology, now, options);
        }

        switch (identifier)
        {
            case "]d1" or "]Q1":
                // Plain DataMatrix/QR: GS1 data only as a Digital Link URI (GS1 Digital Link standard).
                var carrier = identifier == "]d1" ? Gs1Symbology.DataMatrix : Gs1Symbology.QrCode;
                return Gs1DigitalLink.LooksLikeUri(body)
                    ? Gs1DigitalLink.ParseCore(body, now, options, carrier)
                    : Fail(Gs1ErrorCode.NotGs1Data, $"{identifier} carries plain data, and it is not a GS1 Digital Link URI.");
            case "]E0":
                return ParseEan(body, 13, Gs1Symbology.Ean13, now);
            case "]E4":
                return ParseEan(body, 8, Gs1Symbology.Ean8, now);
            default:
                return Fail(Gs1ErrorCode.UnknownSymbologyIdentifier, $"Symbology identifier '{identifier}' is not a GS1 carrier we accept.");
        }
    }

    private static Gs1Result<Gs1Scan> ParseEan(string digits, int length, Gs1Symbology symbology, DateTimeOffset now)
    {
        if (digits.Contains('|', StringComparison.Ordinal))
        {
            return Fail(Gs1ErrorCode.NotGs1Data, "EAN/UPC with a composite component is not supported; scan the GS1 DataMatrix instead.");
        }

        var error = digits.Length == length
            ? Gtin.Check(digits)
            : FieldRules.Digits(digits, length, symbology == Gs1Symbology.Ean13 ? "EAN-13" : "EAN-8", "01");
        return error is not null
            ? Gs1Result<Gs1Scan>.Failure(error)
            : Complete([new RawElement("01", digits.PadLeft(14, '0'), ApplicationIdentifiers.Find("01"))], now, symbology, Gs1SyntaxForm.Ean, false);
    }

    /// <summary>Splits an element string (GenSpecs §7.8.4): fixed lengths from the AI table, variable lengths end at GS or the end.</summary>
    private static Gs1Result<Gs1Scan> ParseElementString(string data, Gs1Symbology symbology, DateTimeOffset now, Gs1ParserOptions options)
    {
        var raw = new List<RawElement>();
        var pos = 0;
        while (pos < data.Length)
        {
            // FNC1 in first position, and a separator after a field that did not need one, carry no data.
            if (data[pos] == GroupSeparator)
            {
                pos++;
                continue;
            }

            var rest = data.AsSpan(pos);
            var definition = ApplicationIdentifiers.MatchPrefix(rest);
            int aiLength, minLength, maxLength;
            bool needsSeparator;
            if (definition is not null)
            {
                (aiLength, minLength, maxLength, needsSeparator) =
                    (definition.Ai.Length, definition.MinLength, definition.MaxLength, !definition.PredefinedLength);
            }
            else if (ApplicationIdentifiers.PredefinedLength(rest) is { } rule)
            {
                (aiLength, minLength, maxLength, needsSeparator) = (rule.AiLength, rule.DataLength, rule.DataLength, false);
            }
            else
            {
                return UnsplittableAi(rest, pos);
            }

            if (rest.Length < aiLength || rest[..aiLength].IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                return Fail(Gs1ErrorCode.FieldTooShort, $"The data ends inside an AI at position {pos + 1}.");
            }

            var ai = data.Substring(pos, aiLength);
            pos += aiLength;
            string value;
            if (minLength == maxLength)
            {
                var available = data.AsSpan(pos).IndexOf(GroupSeparator) is var gs and >= 0 ? gs : data.Length - pos;
                if (available < minLength)
                {
                    return Fail(
                        Gs1ErrorCode.FieldTooShort,
                        $"AI ({ai}) needs {minLength} characters of data; only {available} follow before the {(pos + available < data.Length ? "separator" : "end")}.",
                        ai);
                }

                value = data.Substring(pos, minLength);
                pos += minLength;
                if (needsSeparator && pos < data.Length && data[pos] != GroupSeparator)
                {
                    return Fail(
                        Gs1ErrorCode.MissingSeparator,
                        $"AI ({ai}) has a fixed length not predefined by GS1, so an FNC1 separator must follow it at position {pos + 1}.",
                        ai);
                }
            }
            else
            {
                var end = data.IndexOf(GroupSeparator, pos);
                value = data[pos..(end < 0 ? data.Length : end)];
                pos += value.Length;
                if (value.Length > maxLength)
                {
                    return Fail(
                        Gs1ErrorCode.MissingSeparator,
                        $"AI ({ai}) data runs on for {value.Length} characters, more than its maximum of {maxLength}: an FNC1 separator is missing, so the data cannot be split unambiguously.",
                        ai);
                }

                if (options.SeparatorsMayBeMissing && AlternativeSplit(value, now) is { } tail)
                {
                    return Fail(
                        Gs1ErrorCode.MissingSeparator,
                        $"AI ({ai}) data '{value}' could also end before '{tail}', which reads as valid AIs; without FNC1 separators the split is ambiguous.",
                        ai);
                }
            }

            raw.Add(new RawElement(ai, value, definition));
        }

        return raw.Count == 0
            ? Fail(Gs1ErrorCode.EmptyInput, "The scan holds only separators.")
            : Complete(raw, now, symbology, Gs1SyntaxForm.ElementString, false);
    }

    /// <summary>The first tail of <paramref name="value"/> that splits completely into known AIs with valid data, if any.</summary>
    private static string? AlternativeSplit(string value, DateTimeOffset now)
    {
        for (var start = 1; start < value.Length - 2; start++)
        {
            if (IsValidElementSequence(value.AsSpan(start), now))
            {
                return value[start..];
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="data"/> (no separators) reads as one or more known AIs, each with valid data.</summary>
    private static bool IsValidElementSequence(ReadOnlySpan<char> data, DateTimeOffset now)
    {
        while (!data.IsEmpty)
        {
            if (ApplicationIdentifiers.MatchPrefix(data) is not { } definition)
            {
                return false;
            }

            data = data[definition.Ai.Length..];
            // Without separators a variable-length field can only be the last one, so it takes the rest.
            var length = definition.IsFixedLength ? definition.MaxLength : data.Length;
            if (data.Length < length || definition.Validate(data[..length], now) is not null)
            {
                return false;
            }

            data = data[length..];
        }

        return true;
    }

    private static Gs1Result<Gs1Scan> UnsplittableAi(ReadOnlySpan<char> rest, int pos)
    {
        var bad = rest.Length > 1 ? rest[..2].IndexOfAnyExceptInRange('0', '9') : rest.IndexOfAnyExceptInRange('0', '9');
        if (bad >= 0)
        {
            return Fail(
                Gs1ErrorCode.BadCharacter,
                $"Expected the digits of an AI at position {pos + bad + 1}; found {CharacterSet82.Describe(rest[bad])}.");
        }

        if (rest.Length < 2)
        {
            return Fail(Gs1ErrorCode.FieldTooShort, $"The data ends inside an AI at position {pos + 1}.");
        }

        var shown = rest[..Math.Min(4, rest.Length)].ToString();
        return Fail(
            Gs1ErrorCode.UnknownAi,
            $"The AI at position {pos + 1} (starting {shown}) is unknown and GS1 gives no predefined length for prefix {rest[..2]}, so the rest cannot be split.");
    }

    /// <summary>Parses <c>(AI)data(AI)data…</c>; a literal <c>(</c> in data is written <c>\(</c> (as gs1-syntax-engine does).</summary>
    private static Gs1Result<Gs1Scan> ParseBracketed(string data, DateTimeOffset now)
    {
        var raw = new List<RawElement>();
        var pos = 0;
        while (pos < data.Length)
        {
            if (data[pos] != '(')
            {
                return Fail(Gs1ErrorCode.BadBracketedSyntax, $"Expected '(' at position {pos + 1}.");
            }

            var close = data.IndexOf(')', pos + 1);
            if (close < 0)
            {
                return Fail(Gs1ErrorCode.BadBracketedSyntax, $"The '(' at position {pos + 1} is never closed.");
            }

            var ai = data[(pos + 1)..close];
            if (ai.Length is < 2 or > 4 || ai.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                return Fail(Gs1ErrorCode.BadBracketedSyntax, $"'({ai})' at position {pos + 1} is not an AI of 2–4 digits.");
            }

            var definition = ApplicationIdentifiers.Find(ai);
            if (definition is null && ApplicationIdentifiers.PredefinedLength(ai)?.AiLength != ai.Length)
            {
                return Fail(Gs1ErrorCode.UnknownAi, $"AI ({ai}) is unknown and GS1 gives no predefined length for it.", ai);
            }

            var value = new StringBuilder();
            pos = close + 1;
            while (pos < data.Length && data[pos] != '(')
            {
                var escaped = data[pos] == '\\' && pos + 1 < data.Length && data[pos + 1] == '(';
                value.Append(escaped ? '(' : data[pos]);
                pos += escaped ? 2 : 1;
            }

            raw.Add(new RawElement(ai, value.ToString(), definition));
        }

        return Complete(raw, now, Gs1Symbology.Unspecified, Gs1SyntaxForm.Bracketed, false);
    }

    private static string Substitute(string data, Gs1ParserOptions options) =>
        options.SeparatorSubstitute is { } substitute ? data.Replace(substitute, GroupSeparator) : data;
}

/// <summary>An AI and its data after splitting, before validation.</summary>
internal readonly record struct RawElement(string Ai, string Value, AiDefinition? Definition);
