namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// GS1 AI encodable character set 82 (GS1 General Specifications §7.11, Figure 7.11-1):
/// <c>! " % &amp; ' ( ) * + , - . /</c>, digits, <c>: ; &lt; = &gt; ?</c>, <c>A–Z</c>, <c>_</c>, <c>a–z</c>.
/// </summary>
internal static class CharacterSet82
{
    public static bool Contains(char c) =>
        c is '!' or '"' or (>= '%' and <= '?') or (>= 'A' and <= 'Z') or '_' or (>= 'a' and <= 'z');

    /// <summary>The index of the first character outside set 82, or −1.</summary>
    public static int IndexOfInvalid(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!Contains(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Names a character for a message, including controls that would be invisible.</summary>
    public static string Describe(char c) =>
        c is >= ' ' and <= '~' ? $"'{c}'" : $"U+{(int)c:X4}";
}
