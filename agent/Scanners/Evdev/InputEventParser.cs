using System.Buffers.Binary;

namespace SupplyChain.Agent.Scanners.Evdev;

/// <summary>
/// Cuts raw bytes read from <c>/dev/input/event*</c> into <see cref="InputEvent"/>s. Keeps a partial event until the
/// rest arrives, so callers may feed chunks of any size. Every Linux target we run on is little-endian.
/// </summary>
internal sealed class InputEventParser(InputEventLayout layout)
{
    private readonly byte[] _pending = new byte[layout.Size()];
    private int _pendingLength;

    public InputEventLayout Layout => layout;

    public void Feed(ReadOnlySpan<byte> bytes, ICollection<InputEvent> events)
    {
        var size = layout.Size();
        if (_pendingLength > 0)
        {
            var take = Math.Min(size - _pendingLength, bytes.Length);
            bytes[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            bytes = bytes[take..];
            if (_pendingLength < size)
            {
                return;
            }

            events.Add(Decode(_pending));
            _pendingLength = 0;
        }

        while (bytes.Length >= size)
        {
            events.Add(Decode(bytes[..size]));
            bytes = bytes[size..];
        }

        bytes.CopyTo(_pending);
        _pendingLength = bytes.Length;
    }

    private InputEvent Decode(ReadOnlySpan<byte> raw)
    {
        // The timeval takes the first 16 (64-bit) or 8 (32-bit) bytes; type, code and value follow.
        var fields = raw[(layout.Size() - 8)..];
        return new InputEvent(
            BinaryPrimitives.ReadUInt16LittleEndian(fields),
            BinaryPrimitives.ReadUInt16LittleEndian(fields[2..]),
            BinaryPrimitives.ReadInt32LittleEndian(fields[4..]));
    }
}
