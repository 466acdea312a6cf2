namespace SupplyChain.Agent.Scanners.Evdev;

/// <summary>The US keyboard layout for Linux key codes (linux/input-event-codes.h), as a USB HID scanner types it.</summary>
internal static class UsKeymap
{
    public const ushort KeyLeftBrace = 26;
    public const ushort KeyRightBrace = 27;
    public const ushort KeyEnter = 28;
    public const ushort KeyLeftCtrl = 29;
    public const ushort KeyLeftShift = 42;
    public const ushort KeyBackslash = 43;
    public const ushort KeyRightShift = 54;
    public const ushort KeyLeftAlt = 56;
    public const ushort KeyCapsLock = 58;
    public const ushort KeyNumLock = 69;
    public const ushort KeyScrollLock = 70;
    public const ushort KeyKpEnter = 96;
    public const ushort KeyRightCtrl = 97;
    public const ushort KeyRightAlt = 100;
    public const ushort KeyLeftMeta = 125;
    public const ushort KeyRightMeta = 126;
    public const ushort Key6 = 7;
    public const ushort KeyMinus = 12;

    private static readonly Dictionary<ushort, (char Plain, char Shifted)> Keys = Build();

    // KEY_KP0..KEY_KP9 are not in order on the keypad: 82, 79, 80, 81, 75, 76, 77, 71, 72, 73.
    private static readonly Dictionary<ushort, int> KeypadDigits = new()
    {
        [82] = 0, [79] = 1, [80] = 2, [81] = 3, [75] = 4, [76] = 5, [77] = 6, [71] = 7, [72] = 8, [73] = 9,
    };

    public static bool TryGetChar(ushort code, bool shifted, out char c)
    {
        if (Keys.TryGetValue(code, out var pair))
        {
            c = shifted ? pair.Shifted : pair.Plain;
            return true;
        }

        c = default;
        return false;
    }

    public static bool TryGetKeypadDigit(ushort code, out int digit) => KeypadDigits.TryGetValue(code, out digit);

    public static bool IsLetter(ushort code) => Keys.TryGetValue(code, out var pair) && char.IsAsciiLetterLower(pair.Plain);

    private static Dictionary<ushort, (char, char)> Build()
    {
        var keys = new Dictionary<ushort, (char, char)>();
        void Row(ushort first, string plain, string shifted)
        {
            for (var i = 0; i < plain.Length; i++)
            {
                keys[(ushort)(first + i)] = (plain[i], shifted[i]);
            }
        }

        Row(2, "1234567890-=", "!@#$%^&*()_+");   // KEY_1 .. KEY_EQUAL
        Row(15, "\t", "\t");                       // KEY_TAB
        Row(16, "qwertyuiop[]", "QWERTYUIOP{}");   // KEY_Q .. KEY_RIGHTBRACE
        Row(30, "asdfghjkl;'`", "ASDFGHJKL:\"~");  // KEY_A .. KEY_GRAVE
        Row(43, "\\zxcvbnm,./", "|ZXCVBNM<>?");    // KEY_BACKSLASH .. KEY_SLASH
        Row(55, "*", "*");                         // KEY_KPASTERISK
        Row(57, " ", " ");                         // KEY_SPACE
        Row(71, "789-456+1230.", "789-456+1230."); // KEY_KP7 .. KEY_KPDOT
        Row(98, "/", "/");                         // KEY_KPSLASH
        Row(117, "=", "=");                        // KEY_KPEQUAL
        Row(121, ",", ",");                        // KEY_KPCOMMA
        return keys;
    }
}
