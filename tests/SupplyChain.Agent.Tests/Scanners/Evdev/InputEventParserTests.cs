using SupplyChain.Agent.Scanners.Evdev;

namespace SupplyChain.Agent.Tests.Scanners.Evdev;

public sealed class InputEventParserTests
{
    [Theory]
    [InlineData(24)]
    [InlineData(16)]
    public void Feed_OneEvent_ReadsTypeCodeValueAfterTheTimeval(int size)
    {
        var layout = (InputEventLayout)size;
        var bytes = new EventStream(layout).Event(1, 30, 1).Bytes;
        var events = new List<InputEvent>();

        new InputEventParser(layout).Feed(bytes, events);

        Assert.Equal(size, bytes.Length);
        Assert.Equal([new InputEvent(1, 30, 1)], events);
    }

    [Fact]
    public void Feed_HandWrittenBits64Event_MatchesStructInputEvent()
    {
        // struct input_event on x86_64: tv_sec (8), tv_usec (8), type (2), code (2), value (4), little-endian.
        byte[] raw =
        [
            0x80, 0x4F, 0x42, 0x67, 0, 0, 0, 0, 0x40, 0xE2, 0x01, 0, 0, 0, 0, 0,
            0x01, 0x00, 0x1C, 0x00, 0x02, 0x00, 0x00, 0x00,
        ];
        var events = new List<InputEvent>();

        new InputEventParser(InputEventLayout.Bits64).Feed(raw, events);

        Assert.Equal([new InputEvent(InputEvent.EvKey, 28, InputEvent.KeyAutorepeat)], events);
    }

    [Fact]
    public void Feed_NegativeValue_IsSigned()
    {
        var events = new List<InputEvent>();

        new InputEventParser(InputEventLayout.Bits32).Feed(new EventStream(InputEventLayout.Bits32).Event(2, 8, -1).Bytes, events);

        Assert.Equal(-1, Assert.Single(events).Value);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(16)]
    public void Feed_ChunksSplitInsideEvents_YieldsTheSameEvents(int eventSize)
    {
        var layout = (InputEventLayout)eventSize;
        var bytes = new EventStream(layout).Type("A1").Bytes;
        var whole = new List<InputEvent>();
        new InputEventParser(layout).Feed(bytes, whole);

        foreach (var chunk in new[] { 1, 5, 7, 23, 25 })
        {
            var parser = new InputEventParser(layout);
            var pieces = new List<InputEvent>();
            for (var i = 0; i < bytes.Length; i += chunk)
            {
                parser.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)), pieces);
            }

            Assert.Equal(whole, pieces);
        }
    }
}
