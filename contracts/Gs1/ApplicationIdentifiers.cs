namespace SupplyChain.Contracts.Gs1;

/// <summary>What the characters of an AI's data may be.</summary>
internal enum AiCharacters
{
    /// <summary>ASCII digits (<c>N</c> in GenSpecs format notation).</summary>
    Digits,

    /// <summary>GS1 character set 82 (<c>X</c>).</summary>
    Set82,
}

/// <summary>Extra content check beyond characters and length.</summary>
internal enum AiContent
{
    None,

    /// <summary>Mod-10 check digit in the last position (GenSpecs §7.9.1).</summary>
    CheckDigit,

    /// <summary>YYMMDD with DD = 00 allowed (syntax-dictionary linter <c>yymmd0</c>).</summary>
    Date,
}

/// <summary>One application identifier: its data format, whether it needs an FNC1 after it, and which AIs it needs or excludes.</summary>
/// <param name="Ai">The AI digits.</param>
/// <param name="Title">The GS1 data title.</param>
/// <param name="Characters">Digits or set 82.</param>
/// <param name="MaxLength">Maximum data length; equal to <paramref name="MinLength"/> for fixed-length AIs.</param>
/// <param name="MinLength">Minimum data length.</param>
/// <param name="PredefinedLength">Whether the AI is in GenSpecs Figure 7.8.4-2, so no FNC1 follows it.</param>
/// <param name="Content">Check digit or date.</param>
/// <param name="Requires">At least one of these AIs must be present too (GenSpecs §4.14.2); empty for none.</param>
/// <param name="Excludes">None of these AIs may be present too (GenSpecs §4.14.1).</param>
internal sealed record AiDefinition(
    string Ai,
    string Title,
    AiCharacters Characters,
    int MinLength,
    int MaxLength,
    bool PredefinedLength,
    AiContent Content,
    string[] Requires,
    string[] Excludes)
{
    public bool IsFixedLength => MinLength == MaxLength;

    /// <summary>Checks a value against this AI's format; <see langword="null"/> when it conforms.</summary>
    public Gs1Error? Validate(ReadOnlySpan<char> value, DateTimeOffset now)
    {
        var what = $"AI ({Ai}) {Title}";
        var error = (Characters, IsFixedLength) switch
        {
            (AiCharacters.Digits, true) => FieldRules.Digits(value, MaxLength, what, Ai),
            (AiCharacters.Digits, false) => FieldRules.VariableDigits(value, MaxLength, what, Ai),
            _ => FieldRules.Set82(value, MaxLength, what, Ai),
        };
        return error ?? Content switch
        {
            AiContent.CheckDigit => FieldRules.DigitsWithCheckDigit(value, MaxLength, what, Ai),
            AiContent.Date => Expiry.TryResolve(value, now, what, Ai, out _),
            _ => null,
        };
    }
}

/// <summary>
/// The AIs ColdTrace understands, with their formats from the GS1 General Specifications AI definitions and the GS1 Barcode Syntax
/// Dictionary (gs1/gs1-syntax-engine <c>gs1-syntax-dictionary.txt</c>), and the predefined-length table used to skip
/// AIs that are not listed here.
/// </summary>
internal static class ApplicationIdentifiers
{
    private static readonly string[] None = [];
    private static readonly string[] GtinOrContent = ["01", "02"];

    private static readonly Dictionary<string, AiDefinition> Table = Build();

    /// <summary>Finds the AI at the start of <paramref name="data"/>: AIs are prefix-free, so at most one of 2, 3 or 4 digits matches.</summary>
    public static AiDefinition? MatchPrefix(ReadOnlySpan<char> data)
    {
        var lookup = Table.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var length = 2; length <= 4 && length <= data.Length; length++)
        {
            if (lookup.TryGetValue(data[..length], out var definition))
            {
                return definition;
            }
        }

        return null;
    }

    /// <summary>Finds an AI given exactly, e.g. from brackets or a Digital Link path.</summary>
    public static AiDefinition? Find(ReadOnlySpan<char> ai) =>
        Table.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(ai, out var definition) ? definition : null;

    /// <summary>
    /// GS1 General Specifications Figure 7.8.4-2: element strings whose first two AI digits are listed have a fixed
    /// total length (AI + data) and are never followed by FNC1. Returns the AI length and data length, or
    /// <see langword="null"/> when the prefix has no length rule. All of these data fields are numeric.
    /// </summary>
    public static (int AiLength, int DataLength)? PredefinedLength(ReadOnlySpan<char> prefix)
    {
        if (prefix.Length < 2 || !char.IsAsciiDigit(prefix[0]) || !char.IsAsciiDigit(prefix[1]))
        {
            return null;
        }

        var two = ((prefix[0] - '0') * 10) + (prefix[1] - '0');
        (int Ai, int Total)? rule = two switch
        {
            0 => (2, 20),
            1 or 2 or 3 => (2, 16),
            4 => (2, 18),
            >= 11 and <= 19 => (2, 8),
            20 => (2, 4),
            >= 31 and <= 36 => (4, 10),
            41 => (3, 16),
            _ => null,
        };
        return rule is { } r ? (r.Ai, r.Total - r.Ai) : null;
    }

    private static Dictionary<string, AiDefinition> Build()
    {
        var table = new Dictionary<string, AiDefinition>(StringComparer.Ordinal);

        void Fixed(string ai, string title, int length, AiContent content = AiContent.None, string[]? requires = null, string[]? excludes = null) =>
            table.Add(ai, new AiDefinition(ai, title, AiCharacters.Digits, length, length, PredefinedLength(ai) is not null, content, requires ?? None, excludes ?? None));

        void Numeric(string ai, string title, int max, string[]? requires = null) =>
            table.Add(ai, new AiDefinition(ai, title, AiCharacters.Digits, 1, max, false, AiContent.None, requires ?? None, None));

        void Text(string ai, string title, int max, string[]? requires = null) =>
            table.Add(ai, new AiDefinition(ai, title, AiCharacters.Set82, 1, max, false, AiContent.None, requires ?? None, None));

        // Keys and their associations: GenSpecs §3.3, §4.14; syntax dictionary "req=" and "ex=".
        Fixed("00", "SSCC", 18, AiContent.CheckDigit);
        Fixed("01", "GTIN", 14, AiContent.CheckDigit, excludes: ["02", "37"]);
        Fixed("02", "CONTENT", 14, AiContent.CheckDigit, requires: ["37"], excludes: ["01"]);
        Text("10", "BATCH/LOT", 20, GtinOrContent);
        Fixed("11", "PROD DATE", 6, AiContent.Date, GtinOrContent);
        Fixed("13", "PACK DATE", 6, AiContent.Date, GtinOrContent);
        Fixed("15", "BEST BEFORE", 6, AiContent.Date, GtinOrContent);
        Fixed("16", "SELL BY", 6, AiContent.Date, GtinOrContent);
        Fixed("17", "USE BY OR EXPIRY", 6, AiContent.Date, GtinOrContent);
        Fixed("20", "VARIANT", 2, requires: GtinOrContent);
        Text("21", "SERIAL", 20, ["01"]);
        Text("22", "CPV", 20, ["01"]);
        Text("240", "ADDITIONAL ID", 30, GtinOrContent);
        Text("241", "CUST. PART No.", 30, GtinOrContent);
        Text("254", "GLN EXTENSION COMPONENT", 20, ["414"]);
        Numeric("30", "VAR. COUNT", 8, GtinOrContent);
        // The dictionary also ties (37) to (00); GenSpecs §4.14.2 requires only (02), which is what a case label carries.
        table.Add("37", new AiDefinition("37", "COUNT", AiCharacters.Digits, 1, 8, false, AiContent.None, ["02"], ["01"]));
        // Price, last digit = implied decimal places. The dictionary also requires a variable measure (30, 31nn, 32nn,
        // 35nn or 36nn); those are skipped AIs here, so only the tie to (01) is enforced.
        for (var ai = 3920; ai <= 3929; ai++)
        {
            Numeric(ai.ToString(System.Globalization.CultureInfo.InvariantCulture), "PRICE", 15, ["01"]);
        }

        Text("400", "ORDER NUMBER", 30);
        Text("403", "ROUTE", 30, ["00"]);
        Fixed("410", "SHIP TO LOC", 13, AiContent.CheckDigit);
        Fixed("411", "BILL TO", 13, AiContent.CheckDigit);
        Fixed("412", "PURCHASE FROM", 13, AiContent.CheckDigit);
        Fixed("413", "SHIP FOR LOC", 13, AiContent.CheckDigit);
        Fixed("414", "LOC No.", 13, AiContent.CheckDigit);
        Fixed("416", "PROD/SERV LOC", 13, AiContent.CheckDigit);
        Fixed("417", "PARTY", 13, AiContent.CheckDigit);

        // National Healthcare Reimbursement Numbers: PZN, CIP, CN, DRN, AIM, NDC.
        Text("710", "NHRN PZN", 20, ["01"]);
        Text("711", "NHRN CIP", 20, ["01"]);
        Text("712", "NHRN CN", 20, ["01"]);
        Text("713", "NHRN DRN", 20, ["01"]);
        Text("714", "NHRN AIM", 20, ["01"]);
        Text("715", "NHRN NDC", 20, ["01"]);

        Text("8004", "GIAI", 30);

        // Company internal information: (90) X..30, (91)–(99) X..90.
        Text("90", "INTERNAL", 30);
        for (var ai = 91; ai <= 99; ai++)
        {
            Text(ai.ToString(System.Globalization.CultureInfo.InvariantCulture), "INTERNAL", 90);
        }

        return table;
    }
}
