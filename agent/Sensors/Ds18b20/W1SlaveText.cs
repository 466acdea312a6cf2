namespace SupplyChain.Agent.Sensors.Ds18b20;

/// <summary>
/// The text of the Linux w1_therm <c>w1_slave</c> file, as written by the kernel's <c>w1_slave_show</c>:
/// <code>
/// 72 01 4b 46 7f ff 0e 10 57 : crc=57 YES
/// 72 01 4b 46 7f ff 0e 10 57 t=23125
/// </code>
/// Line 1: the nine scratchpad bytes just read, the CRC the kernel computed over bytes 0–7, and whether it matched byte 8.
/// Line 2: the last scratchpad that passed the CRC (so it can be an old one when line 1 says NO) and the temperature in
/// milli-degrees Celsius computed from the new bytes.
/// </summary>
internal readonly record struct W1SlaveText(byte[] Scratchpad, byte KernelCrc, bool KernelCrcOk, byte[] LastGoodScratchpad, int MilliCelsius)
{
    public const int ScratchpadLength = 9;

    /// <summary>Parses the file text; on failure <paramref name="error"/> says what was wrong.</summary>
    public static bool TryParse(string text, out W1SlaveText value, out string error)
    {
        value = default;
        var lines = text.Split('\n');
        if (lines.Length < 2 || lines[0].Length == 0 || lines[1].Length == 0)
        {
            error = "expected two lines";
            return false;
        }

        var first = lines[0].AsSpan();
        var second = lines[1].AsSpan();
        var scratchpad = new byte[ScratchpadLength];
        var lastGood = new byte[ScratchpadLength];
        if (!TryParseHexBytes(first, scratchpad, out var rest1) || !TryParseHexBytes(second, lastGood, out var rest2))
        {
            error = "scratchpad is not nine hex bytes";
            return false;
        }

        // rest1 = ": crc=57 YES"
        const string crcPrefix = ": crc=";
        if (!rest1.StartsWith(crcPrefix, StringComparison.Ordinal) || rest1.Length < crcPrefix.Length + 2 + 1 + 2
            || !TryParseHexByte(rest1.Slice(crcPrefix.Length, 2), out var kernelCrc) || rest1[crcPrefix.Length + 2] != ' ')
        {
            error = "line 1 does not end with ': crc=XX YES|NO'";
            return false;
        }

        var verdict = rest1[(crcPrefix.Length + 3)..].TrimEnd('\r');
        bool ok;
        if (verdict.SequenceEqual("YES"))
        {
            ok = true;
        }
        else if (verdict.SequenceEqual("NO"))
        {
            ok = false;
        }
        else
        {
            error = "CRC verdict is neither YES nor NO";
            return false;
        }

        // rest2 = "t=23125"
        var temperature = rest2.TrimEnd('\r');
        if (!temperature.StartsWith("t=", StringComparison.Ordinal)
            || !int.TryParse(temperature[2..], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var milli))
        {
            error = "line 2 does not end with 't=<milli-degrees>'";
            return false;
        }

        value = new W1SlaveText(scratchpad, kernelCrc, ok, lastGood, milli);
        error = string.Empty;
        return true;
    }

    private static bool TryParseHexBytes(ReadOnlySpan<char> line, Span<byte> bytes, out ReadOnlySpan<char> rest)
    {
        // Each byte is printed as "%02x ".
        rest = default;
        if (line.Length < bytes.Length * 3)
        {
            return false;
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            if (!TryParseHexByte(line.Slice(i * 3, 2), out bytes[i]) || line[(i * 3) + 2] != ' ')
            {
                return false;
            }
        }

        rest = line[(bytes.Length * 3)..];
        return true;
    }

    private static bool TryParseHexByte(ReadOnlySpan<char> hex, out byte value) =>
        byte.TryParse(hex, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out value);
}
