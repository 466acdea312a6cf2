using BenchmarkDotNet.Attributes;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Benchmarks.Micro;

/// <summary>Decoding the signed payload of a shipping event with 50 packs (and an SSCC), as the hub does on every event.</summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives its generated runner from the class.</remarks>
[MemoryDiagnoser]
public class EventCodecBenchmarks
{
    private byte[] payload = [];

    [GlobalSetup]
    public void Setup()
    {
        payload = EventCodec.Encode(CustodyEvents.Ship(Fixtures.T0, new DeviceStamp("scanner-1", 7, EventId.None, "boot-1", true),
            Fixtures.Uri(Fixtures.Maker), Fixtures.PackUris(0, 50), Fixtures.Uri(Fixtures.Wholesaler), "https://id.gs1.org/00/095060001343520017"));
        if (!TryDecode())
        {
            throw new InvalidOperationException("The benchmark payload does not decode.");
        }
    }

    [Benchmark(Description = "EventCodec.TryDecode (ship, 50 packs)")]
    public bool TryDecode() => EventCodec.TryDecode(payload, out _, out _);
}
