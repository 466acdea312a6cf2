using System.Buffers.Binary;
using SupplyChain.Agent.Scanners.Evdev;

namespace SupplyChain.Agent.Tests.Scanners.Evdev;

/// <summary>
/// Builds the bytes a scanner's /dev/input/event* node returns, the way a USB HID keyboard reports each key:
/// EV_MSC MSC_SCAN, EV_KEY, EV_SYN SYN_REPORT, with a real-looking timeval in front of every event.
/// </summary>
internal sealed class EventStream(InputEventLayout layout)
{
    public const ushort EvMsc = 4;
    public const ushort MscScan = 4;
    private const ushort LeftShift = 42;

    private readonly List<byte> _bytes = [];
    private long _microseconds = 1_732_435_200_000_000;

    // US layout: character -> (key code, shift).
    private static readonly Dictionary<char, (ushort Code, bool Shift)> Layout = BuildLayout();

    public byte[] Bytes => [.. _bytes];

    public EventStream Event(ushort type, ushort code, int value)
    {
        var size = (int)layout;
        var raw = new byte[size];
        var seconds = _microseconds / 1_000_000;
        var micros = _microseconds % 1_000_000;
        if (layout == InputEventLayout.Bits64)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw, seconds);
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8), micros);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(raw, (int)seconds);
            BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(4), (int)micros);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(size - 8), type);
        BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(size - 6), code);
        BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(size - 4), value);
        _bytes.AddRange(raw);
        _microseconds += 1000;
        return this;
    }

    /// <summary>One key transition as a HID keyboard reports it.</summary>
    public EventStream Key(ushort code, int value) =>
        Event(EvMsc, MscScan, 0x70000 + code).Event(InputEvent.EvKey, code, value).Event(InputEvent.EvSyn, InputEvent.SynReport, 0);

    public EventStream Tap(ushort code) => Key(code, 1).Key(code, 0);

    public EventStream Chord(ushort modifier, params ushort[] codes)
    {
        Key(modifier, 1);
        foreach (var code in codes)
        {
            Tap(code);
        }

        return Key(modifier, 0);
    }

    /// <summary>Types <paramref name="text"/> with Shift where the US layout needs it.</summary>
    public EventStream Type(string text)
    {
        foreach (var c in text)
        {
            var (code, shift) = Layout[c];
            if (shift)
            {
                Chord(LeftShift, code);
            }
            else
            {
                Tap(code);
            }
        }

        return this;
    }

    public EventStream Enter() => Tap(28);

    private static Dictionary<char, (ushort, bool)> BuildLayout()
    {
        var map = new Dictionary<char, (ushort, bool)>();
        void Row(ushort first, string plain, string shifted)
        {
            for (var i = 0; i < plain.Length; i++)
            {
                map[plain[i]] = ((ushort)(first + i), false);
                map[shifted[i]] = ((ushort)(first + i), true);
            }
        }

        // linux/input-event-codes.h, written out independently of the decoder's table.
        Row(2, "1234567890-=", "!@#$%^&*()_+");
        Row(16, "qwertyuiop[]", "QWERTYUIOP{}");
        Row(30, "asdfghjkl;'`", "ASDFGHJKL:\"~");
        Row(43, "\\zxcvbnm,./", "|ZXCVBNM<>?");
        map[' '] = (57, false);
        return map;
    }
}
