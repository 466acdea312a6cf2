namespace SupplyChain.Contracts.Gs1;

/// <summary>A Serial Shipping Container Code: 18 digits with a mod-10 check digit (AI 00, GS1 General Specifications).</summary>
public readonly record struct Sscc
{
    private readonly string? value;

    private Sscc(string value) => this.value = value;

    /// <summary>The 18 digits, check digit last.</summary>
    public string Value => value ?? "000000000000000000";

    /// <summary>Parses 18 digits with a valid check digit.</summary>
    /// <param name="text">The digits.</param>
    /// <param name="sscc">The SSCC on success; <see langword="default"/> otherwise.</param>
    /// <param name="reason">Why it was rejected; empty on success.</param>
    /// <returns>Whether <paramref name="text"/> is a valid SSCC.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Sscc sscc, out string reason)
    {
        var error = Check(text);
        sscc = error is null ? new Sscc(text.ToString()) : default;
        reason = error?.Message ?? string.Empty;
        return error is null;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    internal static Gs1Error? Check(ReadOnlySpan<char> text) => FieldRules.DigitsWithCheckDigit(text, 18, "SSCC", "00");

    internal static Sscc FromChecked(string digits) => new(digits);
}
