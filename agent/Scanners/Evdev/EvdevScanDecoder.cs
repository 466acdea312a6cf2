namespace SupplyChain.Agent.Scanners.Evdev;

/// <summary>Raw bytes from an evdev device in, complete scans out: <see cref="InputEventParser"/> then <see cref="KeyboardWedgeDecoder"/>.</summary>
internal sealed class EvdevScanDecoder(InputEventLayout layout, Fnc1Substitute substitute)
{
    private readonly InputEventParser _parser = new(layout);
    private readonly KeyboardWedgeDecoder _keyboard = new(substitute);
    private readonly List<InputEvent> _events = [];

    public int DiscardedScans => _keyboard.DiscardedScans;

    public void Feed(ReadOnlySpan<byte> bytes, ICollection<string> scans)
    {
        _events.Clear();
        _parser.Feed(bytes, _events);
        foreach (var e in _events)
        {
            if (_keyboard.Accept(e) is { } scan)
            {
                scans.Add(scan);
            }
        }
    }
}
