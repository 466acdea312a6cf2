namespace SupplyChain.Agent.Scanners.Evdev;

/// <summary>
/// Size of <c>struct input_event</c> as the reading process sees it: a <c>struct timeval</c> (two longs) then
/// <c>__u16 type, __u16 code, __s32 value</c>. 64-bit processes get 24 bytes, 32-bit processes 16 (the kernel keeps
/// the 32-bit layout even with 64-bit time_t, linux/input.h <c>__USE_TIME_BITS64</c>).
/// </summary>
internal enum InputEventLayout
{
    Bits32 = 16,
    Bits64 = 24,
}

internal static class InputEventLayouts
{
    public static InputEventLayout ForCurrentProcess => Environment.Is64BitProcess ? InputEventLayout.Bits64 : InputEventLayout.Bits32;

    public static int Size(this InputEventLayout layout) => (int)layout;
}
