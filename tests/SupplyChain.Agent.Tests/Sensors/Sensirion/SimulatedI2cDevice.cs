using System.Device.I2c;

namespace SupplyChain.Agent.Tests.Sensors.Sensirion;

/// <summary>
/// An <see cref="I2cDevice"/> for driver tests, after dotnet/iot's <c>SimulatedI2cDevice</c>: records every write with the
/// time it happened and answers reads from a script. A scripted <c>null</c> NACKs (Linux i2c-dev reports that as an
/// <see cref="IOException"/>), as does any read or write while <see cref="NackWrites"/> is set.
/// </summary>
internal sealed class SimulatedI2cDevice(TimeProvider timeProvider, int address = 0x44) : I2cDevice
{
    private readonly Queue<byte[]?> _reads = new();

    public List<(DateTimeOffset At, byte[] Bytes)> Writes { get; } = [];

    public List<DateTimeOffset> ReadTimes { get; } = [];

    public bool NackWrites { get; set; }

    public bool IsDisposed { get; private set; }

    public override I2cConnectionSettings ConnectionSettings { get; } = new(1, address);

    public void EnqueueRead(byte[]? bytes) => _reads.Enqueue(bytes);

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void Read(Span<byte> buffer)
    {
        ReadTimes.Add(timeProvider.GetUtcNow());
        var next = _reads.Count > 0 ? _reads.Dequeue() : null;
        if (next is null)
        {
            throw new IOException("Error 121 performing I2C data transfer.");
        }

        Assert.Equal(buffer.Length, next.Length);
        next.CopyTo(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (NackWrites)
        {
            throw new IOException("Error 121 performing I2C data transfer.");
        }

        Writes.Add((timeProvider.GetUtcNow(), buffer.ToArray()));
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
