namespace SupplyChain.Contracts.Gs1;

/// <summary>How lenient the parser is with what scanners actually send. The defaults accept only standard input.</summary>
public sealed class Gs1ParserOptions
{
    /// <summary>The defaults.</summary>
    public static Gs1ParserOptions Default { get; } = new();

    /// <summary>
    /// A character that a keyboard-wedge scanner was configured to send instead of FNC1/GS, e.g. <c>^</c> or <c>~</c>.
    /// It must not be a character of GS1 set 82, or data containing it would be split wrongly. Default: none.
    /// </summary>
    public char? SeparatorSubstitute { get; init; }

    /// <summary>
    /// The scanner may drop FNC1 separators altogether (some keyboard wedges). Then a variable-length field is accepted
    /// only if no tail of its data could also be read as AIs ColdTrace knows, all with valid data; otherwise the scan
    /// is rejected as <see cref="Gs1ErrorCode.MissingSeparator"/> rather than split by a guess. Default: off.
    /// </summary>
    public bool SeparatorsMayBeMissing { get; init; }

    /// <summary>
    /// Accept GTIN-8/12/13 in a Digital Link path and pad them to 14 digits (allowed by Digital Link 1.1, not by later
    /// versions; off by default as in gs1/gs1-syntax-engine).
    /// </summary>
    public bool AllowZeroSuppressedGtinInDigitalLink { get; init; }

    /// <summary>Whether <paramref name="substitute"/> could never be mistaken for data.</summary>
    /// <param name="substitute">The proposed substitute.</param>
    /// <returns><see langword="true"/> when it is outside set 82 and not a space.</returns>
    public static bool IsUsableSubstitute(char substitute) =>
        !CharacterSet82.Contains(substitute) && substitute is not ' ' and not '\\';
}
