namespace SupplyChain.Contracts.Gs1;

/// <summary>A batch or lot number (AI 10, GS1 General Specifications): 1–20 characters of GS1 character set 82.</summary>
public readonly record struct Lot
{
    /// <summary>The longest lot AI (10) allows.</summary>
    public const int MaxLength = 20;

    private readonly string? value;

    private Lot(string value) => this.value = value;

    /// <summary>The lot as encoded.</summary>
    public string Value => value ?? string.Empty;

    /// <summary>Parses a batch or lot number.</summary>
    /// <param name="text">1–20 characters of set 82.</param>
    /// <param name="lot">The lot on success; <see langword="default"/> otherwise.</param>
    /// <param name="reason">Why it was rejected; empty on success.</param>
    /// <returns>Whether <paramref name="text"/> is a valid lot.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Lot lot, out string reason)
    {
        var error = Check(text);
        lot = error is null ? new Lot(text.ToString()) : default;
        reason = error?.Message ?? string.Empty;
        return error is null;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    internal static Gs1Error? Check(ReadOnlySpan<char> text) => FieldRules.Set82(text, MaxLength, "Lot (10)", "10");

    internal static Lot FromChecked(string text) => new(text);
}
