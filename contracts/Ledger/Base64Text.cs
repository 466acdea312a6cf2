namespace SupplyChain.Contracts.Ledger;

/// <summary>
/// Standard base64 (RFC 4648 §4) as the C2SP formats use it, decoded strictly: padding required, no whitespace, and only
/// the canonical encoding of a value is accepted, so one value has exactly one text form.
/// </summary>
internal static class Base64Text
{
    public static bool TryDecode(string text, out byte[] value)
    {
        value = [];
        if (text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return false;
        }

        var decoded = buffer.AsSpan(0, written).ToArray();

        // Convert skips whitespace and tolerates non-zero trailing bits; the round trip rejects both.
        if (!string.Equals(Convert.ToBase64String(decoded), text, StringComparison.Ordinal))
        {
            return false;
        }

        value = decoded;
        return true;
    }
}
