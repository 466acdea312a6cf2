namespace SupplyChain.Contracts.Gs1;

/// <summary>A serial number (AI 21, GS1 General Specifications): 1–20 characters of GS1 character set 82.</summary>
public readonly record struct Serial
{
    /// <summary>The longest serial AI (21) allows.</summary>
    public const int MaxLength = 20;

    private readonly string? value;

    private Serial(string value) => this.value = value;

    /// <summary>The serial as encoded.</summary>
    public string Value => value ?? string.Empty;

    /// <summary>Parses a serial number.</summary>
    /// <param name="text">1–20 characters of set 82.</param>
    /// <param name="serial">The serial on success; <see langword="default"/> otherwise.</param>
    /// <param name="reason">Why it was rejected; empty on success.</param>
    /// <returns>Whether <paramref name="text"/> is a valid serial.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Serial serial, out string reason)
    {
        var error = Check(text);
        serial = error is null ? new Serial(text.ToString()) : default;
        reason = error?.Message ?? string.Empty;
        return error is null;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    internal static Gs1Error? Check(ReadOnlySpan<char> text) => FieldRules.Set82(text, MaxLength, "Serial (21)", "21");

    internal static Serial FromChecked(string text) => new(text);
}
