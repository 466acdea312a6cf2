using SupplyChain.Agent.Scanners;
using SupplyChain.Agent.Scanners.Evdev;

namespace SupplyChain.Agent.Tests.Scanners.Evdev;

public sealed class EvdevScanDecoderTests
{
    private const string GS = "\u001D";
    private const ushort LeftCtrl = 29;
    private const ushort RightCtrl = 97;
    private const ushort LeftAlt = 56;
    private const ushort RightAlt = 100;
    private const ushort RightBrace = 27;
    private const ushort Kp0 = 82;
    private const ushort Kp2 = 80;
    private const ushort Kp9 = 73;

    [Theory]
    [InlineData(24)]
    [InlineData(16)]
    public void Feed_DigitsThenEnter_YieldsOneScan(int eventSize)
    {
        var layout = (InputEventLayout)eventSize;
        var stream = new EventStream(layout).Type("0109501101530008").Enter();

        Assert.Equal(["0109501101530008"], Decode(layout, stream));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(16)]
    public void Feed_ShiftedCharacters_FollowTheUsLayout(int eventSize)
    {
        var layout = (InputEventLayout)eventSize;
        var stream = new EventStream(layout).Type("]d2ABC xyz!\"#%&'()*+,-./:;<=>?_").Enter();

        Assert.Equal(["]d2ABC xyz!\"#%&'()*+,-./:;<=>?_"], Decode(layout, stream));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(16)]
    public void Feed_CtrlRightBracket_IsGroupSeparator(int eventSize)
    {
        var layout = (InputEventLayout)eventSize;
        var stream = new EventStream(layout).Type("10ABC").Chord(LeftCtrl, RightBrace).Type("21XYZ").Enter()
            .Type("10A").Chord(RightCtrl, RightBrace).Type("17").Enter();

        Assert.Equal(["10ABC" + GS + "21XYZ", "10A" + GS + "17"], Decode(layout, stream));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(16)]
    public void Feed_AltKeypad0029_IsGroupSeparator(int eventSize)
    {
        var layout = (InputEventLayout)eventSize;
        var stream = new EventStream(layout).Type("10ABC").Chord(LeftAlt, Kp0, Kp0, Kp2, Kp9).Type("21X").Enter()
            .Type("1").Chord(RightAlt, Kp2, Kp9).Type("2").Enter();

        Assert.Equal(["10ABC" + GS + "21X", "1" + GS + "2"], Decode(layout, stream));
    }

    [Fact]
    public void Feed_AltCodeAboveAscii_IsReplacementCharacter()
    {
        // Alt+0233 is é in Windows-1252 but 0233 has no single meaning across code pages.
        var stream = new EventStream(InputEventLayout.Bits64).Type("A").Chord(LeftAlt, Kp0, Kp2, 81, 81).Enter();

        Assert.Equal(["A\uFFFD"], Decode(InputEventLayout.Bits64, stream));
    }

    [Fact]
    public void Feed_AltWithoutDigits_TypesNothing()
    {
        var stream = new EventStream(InputEventLayout.Bits64).Type("A").Key(LeftAlt, 1).Key(LeftAlt, 0).Type("B").Enter();

        Assert.Equal(["AB"], Decode(InputEventLayout.Bits64, stream));
    }

    [Fact]
    public void Feed_Autorepeat_IsIgnored()
    {
        var stream = new EventStream(InputEventLayout.Bits64).Key(2, 1).Key(2, 2).Key(2, 2).Key(2, 0).Type("2").Key(28, 1).Key(28, 2).Key(28, 0);

        Assert.Equal(["12"], Decode(InputEventLayout.Bits64, stream));
    }

    [Fact]
    public void Feed_SynDropped_DiscardsTheScanInProgressUpToItsEnter()
    {
        var stream = new EventStream(InputEventLayout.Bits64)
            .Type("0109501")
            .Event(InputEvent.EvSyn, InputEvent.SynDropped, 0)
            .Key(3, 1) // events between SYN_DROPPED and the next SYN_REPORT are ignored
            .Type("5300082110")
            .Enter()
            .Type("OK").Enter();

        var decoder = new EvdevScanDecoder(InputEventLayout.Bits64, Fnc1Substitute.None);
        var scans = new List<string>();
        decoder.Feed(stream.Bytes, scans);

        Assert.Equal(["OK"], scans);
        Assert.Equal(1, decoder.DiscardedScans);
    }

    [Fact]
    public void Feed_SynDroppedWhileShiftHeld_ResetsShift()
    {
        var stream = new EventStream(InputEventLayout.Bits64)
            .Key(42, 1)
            .Event(InputEvent.EvSyn, InputEvent.SynDropped, 0)
            .Event(InputEvent.EvSyn, InputEvent.SynReport, 0)
            .Enter()
            .Type("a").Enter();

        Assert.Equal(["a"], Decode(InputEventLayout.Bits64, stream));
    }

    [Fact]
    public void Feed_UnknownKey_IsReplacementCharacterSoTheParserRejectsIt()
    {
        var stream = new EventStream(InputEventLayout.Bits64).Type("01").Tap(59 /* KEY_F1 */).Type("23").Enter();

        Assert.Equal(["01\uFFFD23"], Decode(InputEventLayout.Bits64, stream));
    }

    [Fact]
    public void Feed_KeypadDigitsAndKeypadEnter_Type()
    {
        var stream = new EventStream(InputEventLayout.Bits64).Tap(79).Tap(80).Tap(81).Tap(75).Tap(76).Tap(77).Tap(71).Tap(72).Tap(73).Tap(82).Tap(96);

        Assert.Equal(["1234567890"], Decode(InputEventLayout.Bits64, stream));
    }

    [Fact]
    public void Feed_CapsLockOn_InvertsLetterCaseOnly()
    {
        var stream = new EventStream(InputEventLayout.Bits64).Tap(58).Type("ab1").Chord(42, 30).Tap(58).Type("c").Enter();

        Assert.Equal(["AB1ac"], Decode(InputEventLayout.Bits64, stream));
    }

    [Fact]
    public void Feed_OtherEventTypesAndEmptyEnter_ProduceNothing()
    {
        var stream = new EventStream(InputEventLayout.Bits64).Event(17 /* EV_LED */, 0, 1).Enter().Enter().Type("x").Enter();

        Assert.Equal(["x"], Decode(InputEventLayout.Bits64, stream));
    }

    [Fact]
    public void Feed_SubstituteConfigured_TurnsItIntoGroupSeparator()
    {
        Assert.True(Fnc1Substitute.TryCreate('^', out var caret, out _));
        var stream = new EventStream(InputEventLayout.Bits64).Type("10ABC^21X").Enter();

        var decoder = new EvdevScanDecoder(InputEventLayout.Bits64, caret);
        var scans = new List<string>();
        decoder.Feed(stream.Bytes, scans);

        Assert.Equal(["10ABC" + GS + "21X"], scans);
    }

    [Fact]
    public void Feed_ByteAtATime_SameAsWhole()
    {
        var stream = new EventStream(InputEventLayout.Bits32).Type("10ABC").Chord(LeftCtrl, RightBrace).Type("21X").Enter();
        var decoder = new EvdevScanDecoder(InputEventLayout.Bits32, Fnc1Substitute.None);
        var scans = new List<string>();

        foreach (var b in stream.Bytes)
        {
            decoder.Feed([b], scans);
        }

        Assert.Equal(["10ABC" + GS + "21X"], scans);
    }

    [Fact]
    public void Feed_WrongLayout_DoesNotYieldTheScan()
    {
        // A 16-byte stream read as 24-byte events is garbage: the decoder must not produce the scan by accident.
        var stream = new EventStream(InputEventLayout.Bits32).Type("0123").Enter();

        Assert.DoesNotContain("0123", Decode(InputEventLayout.Bits64, stream));
    }

    [Fact]
    public void EviocGrab_Value_Is0x40044590() =>
        Assert.Equal(0x40044590u, EvdevNative.EviocGrab);

    private static List<string> Decode(InputEventLayout layout, EventStream stream)
    {
        var scans = new List<string>();
        new EvdevScanDecoder(layout, Fnc1Substitute.None).Feed(stream.Bytes, scans);
        return scans;
    }
}
