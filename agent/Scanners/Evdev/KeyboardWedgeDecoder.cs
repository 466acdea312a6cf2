using System.Text;

namespace SupplyChain.Agent.Scanners.Evdev;

/// <summary>
/// Turns the key events of a USB HID keyboard-wedge scanner into scans (DESIGN.md §2 "Barcodes", §5). Pure state machine:
/// <list type="bullet">
/// <item>Only key presses type; autorepeat is ignored; releases only matter for modifiers.</item>
/// <item>Shift (42/54) and Caps Lock follow the US layout; Ctrl (29/97) with a key gives its ASCII control code, so
/// Ctrl+] is GS (0x1D) — the way many scanners type FNC1.</item>
/// <item>Alt (56/100) held while keypad digits are typed, then released, gives the character with that decimal code
/// (Alt+0029 = GS), as Windows does for Alt codes.</item>
/// <item>Enter (28) or keypad Enter (96) ends the scan.</item>
/// <item>A key with no meaning here types U+FFFD so the GS1 parser rejects the scan with a reason instead of the data
/// silently changing.</item>
/// <item>SYN_DROPPED means the kernel lost events: everything up to the next SYN_REPORT is ignored (linux
/// Documentation/input/event-codes.rst), modifier state is reset, and the scan in progress — including keys that arrive
/// after the drop up to its Enter — is discarded and counted, because a truncated barcode may still parse.</item>
/// </list>
/// </summary>
internal sealed class KeyboardWedgeDecoder(Fnc1Substitute substitute, int maxScanLength = ScanLineFramer.DefaultMaxScanLength)
{
    public const char Unknown = '\uFFFD';

    private readonly StringBuilder _scan = new();
    private bool _leftShift;
    private bool _rightShift;
    private bool _leftCtrl;
    private bool _rightCtrl;
    private bool _leftAlt;
    private bool _rightAlt;
    private bool _capsLock;
    private int _altCode;
    private int _altDigits;
    private bool _altInvalid;
    private bool _resyncing;
    private bool _poisoned;

    /// <summary>Scans thrown away after SYN_DROPPED or for being too long.</summary>
    public int DiscardedScans { get; private set; }

    private bool Shift => _leftShift || _rightShift;

    private bool Ctrl => _leftCtrl || _rightCtrl;

    private bool Alt => _leftAlt || _rightAlt;

    /// <summary>Consumes one event; returns the scan it completes, or null.</summary>
    public string? Accept(InputEvent e)
    {
        if (e.Type == InputEvent.EvSyn)
        {
            if (e.Code == InputEvent.SynDropped)
            {
                Drop();
            }
            else if (e.Code == InputEvent.SynReport)
            {
                _resyncing = false;
            }

            return null;
        }

        if (_resyncing || e.Type != InputEvent.EvKey)
        {
            return null;
        }

        return e.Value switch
        {
            InputEvent.KeyPress => Press(e.Code),
            InputEvent.KeyRelease => Release(e.Code),
            _ => null, // autorepeat
        };
    }

    private string? Press(ushort code)
    {
        switch (code)
        {
            case UsKeymap.KeyLeftShift: _leftShift = true; return null;
            case UsKeymap.KeyRightShift: _rightShift = true; return null;
            case UsKeymap.KeyLeftCtrl: _leftCtrl = true; return null;
            case UsKeymap.KeyRightCtrl: _rightCtrl = true; return null;
            case UsKeymap.KeyLeftAlt or UsKeymap.KeyRightAlt:
                if (!Alt)
                {
                    _altCode = 0;
                    _altDigits = 0;
                    _altInvalid = false;
                }

                if (code == UsKeymap.KeyLeftAlt)
                {
                    _leftAlt = true;
                }
                else
                {
                    _rightAlt = true;
                }

                return null;
            case UsKeymap.KeyCapsLock: _capsLock = !_capsLock; return null;
            case UsKeymap.KeyNumLock or UsKeymap.KeyScrollLock or UsKeymap.KeyLeftMeta or UsKeymap.KeyRightMeta: return null;
            case UsKeymap.KeyEnter or UsKeymap.KeyKpEnter: return EndScan();
        }

        if (Alt)
        {
            if (UsKeymap.TryGetKeypadDigit(code, out var digit) && _altDigits < 4)
            {
                _altCode = (_altCode * 10) + digit;
                _altDigits++;
            }
            else
            {
                _altInvalid = true;
            }

            return null;
        }

        Append(Ctrl ? ControlChar(code) : PlainChar(code));
        return null;
    }

    private string? Release(ushort code)
    {
        switch (code)
        {
            case UsKeymap.KeyLeftShift: _leftShift = false; break;
            case UsKeymap.KeyRightShift: _rightShift = false; break;
            case UsKeymap.KeyLeftCtrl: _leftCtrl = false; break;
            case UsKeymap.KeyRightCtrl: _rightCtrl = false; break;
            case UsKeymap.KeyLeftAlt or UsKeymap.KeyRightAlt:
                var wasAlt = Alt;
                if (code == UsKeymap.KeyLeftAlt)
                {
                    _leftAlt = false;
                }
                else
                {
                    _rightAlt = false;
                }

                if (wasAlt && !Alt)
                {
                    EndAltCode();
                }

                break;
        }

        return null;
    }

    private void EndAltCode()
    {
        if (_altInvalid)
        {
            Append(Unknown);
        }
        else if (_altDigits > 0)
        {
            // Only ASCII has one meaning; above 127 Windows picks a code page by the leading zero.
            Append(_altCode is > 0 and < 128 ? (char)_altCode : Unknown);
        }
    }

    private char PlainChar(ushort code)
    {
        if (!UsKeymap.TryGetChar(code, Shift, out var c))
        {
            return Unknown;
        }

        if (_capsLock && UsKeymap.IsLetter(code))
        {
            UsKeymap.TryGetChar(code, !Shift, out c);
        }

        return c;
    }

    // ASCII control codes as terminals type them: Ctrl+A..Z = 0x01..0x1A, Ctrl+[ = ESC, Ctrl+\ = FS, Ctrl+] = GS,
    // Ctrl+^ (6) = RS, Ctrl+_ (-) = US.
    private static char ControlChar(ushort code)
    {
        if (UsKeymap.IsLetter(code) && UsKeymap.TryGetChar(code, shifted: false, out var letter))
        {
            return (char)(letter - 'a' + 1);
        }

        return code switch
        {
            UsKeymap.KeyLeftBrace => '\u001B',
            UsKeymap.KeyBackslash => '\u001C',
            UsKeymap.KeyRightBrace => '\u001D',
            UsKeymap.Key6 => '\u001E',
            UsKeymap.KeyMinus => '\u001F',
            _ => Unknown,
        };
    }

    private void Append(char c)
    {
        if (_scan.Length == maxScanLength)
        {
            _poisoned = true;
            _scan.Clear();
        }

        _scan.Append(c);
    }

    private string? EndScan()
    {
        var text = _scan.ToString();
        _scan.Clear();
        if (_poisoned)
        {
            _poisoned = false;
            DiscardedScans++;
            return null;
        }

        return text.Length == 0 ? null : substitute.Apply(text);
    }

    private void Drop()
    {
        _scan.Clear();
        _poisoned = true;
        _resyncing = true;
        _leftShift = _rightShift = _leftCtrl = _rightCtrl = _leftAlt = _rightAlt = false;
        _altCode = _altDigits = 0;
        _altInvalid = false;
    }
}
