using BenchmarkDotNet.Attributes;
using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Benchmarks.Micro;

/// <summary>One pack scan as a station sees it: a GS1 DataMatrix with FNC1 as GS, and the same pack as a Digital Link URI.</summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives its generated runner from the class.</remarks>
[MemoryDiagnoser]
public class Gs1Benchmarks
{
    // ]d2 symbology identifier, (01) GTIN, (17) expiry (fixed length), (10) lot ended by GS, (21) serial.
    private const string DataMatrix = "]d2010950600013435217270630" + "10LOT42A\u001D" + "21SN0001234567";
    private const string DigitalLink = "https://id.gs1.org/01/09506000134352/10/LOT42A/21/SN0001234567?17=270630";
    private readonly DateTimeOffset now = Fixtures.T0;

    [GlobalSetup]
    public void Setup()
    {
        // Fail loudly rather than time the error path.
        if (!Gs1Parser.Parse(DataMatrix, now).IsSuccess || !Gs1DigitalLink.Parse(DigitalLink, now).IsSuccess)
        {
            throw new InvalidOperationException("The benchmark scans do not parse.");
        }
    }

    [Benchmark]
    public bool ParseDataMatrix() => Gs1Parser.Parse(DataMatrix, now).IsSuccess;

    [Benchmark]
    public bool ParseDigitalLink() => Gs1DigitalLink.Parse(DigitalLink, now).IsSuccess;
}
