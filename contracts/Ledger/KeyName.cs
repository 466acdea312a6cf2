using System.Text;

namespace SupplyChain.Contracts.Ledger;

/// <summary>Key names of signed notes (c2sp.org/signed-note, Format): non-empty, no Unicode spaces, no '+'.</summary>
internal static class KeyName
{
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "the key name is empty";
        }

        if (!IsWellFormedUtf16(name))
        {
            return "the key name is not valid Unicode";
        }

        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.Value == '+')
            {
                return "the key name contains '+'";
            }

            if (Rune.IsWhiteSpace(rune))
            {
                return "the key name contains a space";
            }

            if (rune.Value < 0x20)
            {
                return "the key name contains a control character";
            }
        }

        return null;
    }

    public static bool IsWellFormedUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
