namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// The GS1 mod-10 check digit (GS1 General Specifications §7.9.1): weights 3,1,3,1… from the rightmost data digit,
/// check digit = (10 − sum mod 10) mod 10. Used by GTIN, GLN and SSCC.
/// </summary>
public static class Gs1CheckDigit
{
    /// <summary>Computes the check digit for the digits that precede it.</summary>
    /// <param name="digits">ASCII digits, without the check digit.</param>
    /// <param name="checkDigit">The digit '0'–'9' on success.</param>
    /// <returns><see langword="false"/> when <paramref name="digits"/> is empty or holds a non-digit.</returns>
    public static bool TryCompute(ReadOnlySpan<char> digits, out char checkDigit)
    {
        checkDigit = '0';
        if (digits.IsEmpty)
        {
            return false;
        }

        var sum = 0;
        var weight = 3;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var c = digits[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            sum += (c - '0') * weight;
            weight = 4 - weight;
        }

        checkDigit = (char)('0' + ((10 - (sum % 10)) % 10));
        return true;
    }

    /// <summary>Whether the last digit of <paramref name="number"/> is the correct check digit for the rest.</summary>
    /// <param name="number">ASCII digits including the check digit; at least two.</param>
    /// <returns><see langword="true"/> when the check digit is right.</returns>
    public static bool IsValid(ReadOnlySpan<char> number) =>
        number.Length >= 2
        && char.IsAsciiDigit(number[^1])
        && TryCompute(number[..^1], out var expected)
        && expected == number[^1];
}
