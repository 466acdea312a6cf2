namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// A Global Individual Asset Identifier (AI 8004, GS1 General Specifications): 1–30 characters of set 82,
/// used for fridges, data loggers and other fixed assets. The GS1 Company Prefix inside it is not checked.
/// </summary>
public readonly record struct Giai
{
    /// <summary>The longest GIAI AI (8004) allows.</summary>
    public const int MaxLength = 30;

    private readonly string? value;

    private Giai(string value) => this.value = value;

    /// <summary>The GIAI as encoded.</summary>
    public string Value => value ?? string.Empty;

    /// <summary>Parses a GIAI.</summary>
    /// <param name="text">1–30 characters of set 82.</param>
    /// <param name="giai">The GIAI on success; <see langword="default"/> otherwise.</param>
    /// <param name="reason">Why it was rejected; empty on success.</param>
    /// <returns>Whether <paramref name="text"/> is a valid GIAI.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Giai giai, out string reason)
    {
        var error = Check(text);
        giai = error is null ? new Giai(text.ToString()) : default;
        reason = error?.Message ?? string.Empty;
        return error is null;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    internal static Gs1Error? Check(ReadOnlySpan<char> text) => FieldRules.Set82(text, MaxLength, "GIAI (8004)", "8004");

    internal static Giai FromChecked(string text) => new(text);
}
