using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Hub.Verification;

/// <summary>
/// What a person pastes or a keyboard-wedge scanner types into the verify page, where GS (FNC1) cannot be typed: the
/// visible picture ␝ (U+241D) stands for GS, <c>^</c> is accepted as the separator substitute scanners are commonly set
/// to send (not a GS1 set-82 character, GenSpecs §7.11), and a scanner that drops separators is accepted when the split
/// is unambiguous (<see cref="Gs1ParserOptions.SeparatorsMayBeMissing"/>; an ambiguous scan is refused, never guessed).
/// </summary>
internal static class ScanInput
{
    public const char SymbolForGroupSeparator = '\u241D';

    public static Gs1ParserOptions Keyboard { get; } = new() { SeparatorSubstitute = '^', SeparatorsMayBeMissing = true };

    public static string Normalize(string text) => text.Trim().Replace(SymbolForGroupSeparator, Gs1Parser.GroupSeparator);
}
