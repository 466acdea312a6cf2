namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// A Global Trade Item Number, always held as GTIN-14 (AI 01, GS1 General Specifications).
/// GTIN-8, -12 and -13 are accepted and normalised by left-padding with zeros, as GS1 prescribes for AI (01).
/// </summary>
public readonly record struct Gtin
{
    private readonly string? value;

    private Gtin(string value) => this.value = value;

    /// <summary>The 14 digits, check digit last.</summary>
    public string Value => value ?? "00000000000000";

    /// <summary>Parses 8, 12, 13 or 14 digits with a valid check digit.</summary>
    /// <param name="text">The digits.</param>
    /// <param name="gtin">The GTIN-14 on success; <see langword="default"/> otherwise.</param>
    /// <param name="reason">Why it was rejected; empty on success.</param>
    /// <returns>Whether <paramref name="text"/> is a valid GTIN.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Gtin gtin, out string reason)
    {
        var error = Check(text);
        gtin = error is null ? new Gtin(Normalise(text)) : default;
        reason = error?.Message ?? string.Empty;
        return error is null;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Checks a GTIN-8/12/13/14 and returns the reason it is invalid, or <see langword="null"/>.</summary>
    internal static Gs1Error? Check(ReadOnlySpan<char> text)
    {
        if (text.Length is 8 or 12 or 13 or 14)
        {
            return FieldRules.DigitsWithCheckDigit(text, text.Length, "GTIN", "01");
        }

        return FieldRules.VariableDigits(text, int.MaxValue, "GTIN", "01") is { Code: Gs1ErrorCode.BadCharacter } bad
            ? bad
            : new Gs1Error(
                text.Length < 14 ? Gs1ErrorCode.FieldTooShort : Gs1ErrorCode.FieldTooLong,
                $"A GTIN has 8, 12, 13 or 14 digits; got {text.Length}.",
                "01");
    }

    /// <summary>Wraps 14 digits that the caller has already checked.</summary>
    internal static Gtin FromChecked(string fourteenDigits) => new(fourteenDigits);

    private static string Normalise(ReadOnlySpan<char> text) => text.ToString().PadLeft(14, '0');
}
