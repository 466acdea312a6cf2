namespace SupplyChain.Contracts.Signing;

/// <summary>Lowercase hex as pinned in PROTOCOL.md §3: exactly two lowercase digits per byte, nothing else.</summary>
internal static class Hex
{
    public static bool TryDecodeLower(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length != destination.Length * 2)
        {
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var hi = Nibble(text[2 * i]);
            var lo = Nibble(text[(2 * i) + 1]);
            if (hi < 0 || lo < 0)
            {
                return false;
            }

            destination[i] = (byte)((hi << 4) | lo);
        }

        return true;
    }

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}
