namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// A Global Location Number: 13 digits with a mod-10 check digit (AIs 410–417, GS1 General Specifications).
/// </summary>
public readonly record struct Gln
{
    private readonly string? value;

    private Gln(string value) => this.value = value;

    /// <summary>The 13 digits, check digit last.</summary>
    public string Value => value ?? "0000000000000";

    /// <summary>Parses 13 digits with a valid check digit.</summary>
    /// <param name="text">The digits.</param>
    /// <param name="gln">The GLN on success; <see langword="default"/> otherwise.</param>
    /// <param name="reason">Why it was rejected; empty on success.</param>
    /// <returns>Whether <paramref name="text"/> is a valid GLN.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Gln gln, out string reason)
    {
        var error = Check(text, null);
        gln = error is null ? new Gln(text.ToString()) : default;
        reason = error?.Message ?? string.Empty;
        return error is null;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    internal static Gs1Error? Check(ReadOnlySpan<char> text, string? ai) => FieldRules.DigitsWithCheckDigit(text, 13, "GLN", ai);

    internal static Gln FromChecked(string digits) => new(digits);
}
