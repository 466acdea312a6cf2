namespace SupplyChain.Agent.Scanners.Evdev;

/// <summary>One Linux <c>struct input_event</c> without its timestamp (linux/input.h): type, code, value.</summary>
internal readonly record struct InputEvent(ushort Type, ushort Code, int Value)
{
    // linux/input-event-codes.h
    public const ushort EvSyn = 0;
    public const ushort EvKey = 1;
    public const ushort SynReport = 0;
    public const ushort SynDropped = 3;
    public const int KeyRelease = 0;
    public const int KeyPress = 1;
    public const int KeyAutorepeat = 2;
}
