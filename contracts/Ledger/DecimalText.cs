using System.Globalization;

namespace SupplyChain.Contracts.Ledger;

/// <summary>
/// Non-negative ASCII decimals "with no leading zeroes (unless ... 0)", as tlog-checkpoint sizes and tlog-proof indexes
/// are written: no sign, no spaces, one text per value.
/// </summary>
internal static class DecimalText
{
    public static bool TryParse(string text, out long value)
    {
        value = 0;
        return text.Length is > 0 and <= 19
            && text.All(char.IsAsciiDigit)
            && (text == "0" || text[0] != '0')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
