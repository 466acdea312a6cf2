namespace SupplyChain.Agent.Scanners;

/// <summary>
/// A printable character some keyboard-wedge scanners are configured to send in place of FNC1, because a keyboard cannot
/// type GS (DESIGN.md §2 "Barcodes"). Only characters outside GS1 AI encodable character set 82 (GS1 General
/// Specifications §7.11, Figure 7.11-1) are accepted, so a substitute can never be confused with data.
/// </summary>
internal readonly record struct Fnc1Substitute
{
    public const char GroupSeparator = '\u001D';

    // Printable ASCII that is not in CSET 82 (which is ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z).
    private const string Allowed = "#$@[\\]^`{|}~";

    private Fnc1Substitute(char character) => Character = character;

    /// <summary>No substitute configured: scans pass through unchanged.</summary>
    public static Fnc1Substitute None => default;

    /// <summary>The configured character, or null for none.</summary>
    public char? Character { get; } = null;

    public static bool TryCreate(char character, out Fnc1Substitute substitute, out string error)
    {
        if (!Allowed.Contains(character, StringComparison.Ordinal))
        {
            substitute = None;
            error = $"'{character}' cannot stand for FNC1: use one of {Allowed}, which never occur in GS1 element strings";
            return false;
        }

        substitute = new Fnc1Substitute(character);
        error = string.Empty;
        return true;
    }

    /// <summary>Turns every substitute character in <paramref name="scan"/> into GS.</summary>
    public string Apply(string scan) =>
        Character is { } c ? scan.Replace(c, GroupSeparator) : scan;
}
