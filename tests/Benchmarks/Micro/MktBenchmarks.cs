using BenchmarkDotNet.Attributes;
using SupplyChain.Contracts.Rules;

namespace SupplyChain.Benchmarks.Micro;

/// <summary>Mean kinetic temperature over 30 days of 1-minute readings (43,200) of a fridge cycling around 5 °C.</summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives its generated runner from the class.</remarks>
[MemoryDiagnoser]
public class MktBenchmarks
{
    private (DateTimeOffset Time, double Celsius)[] readings = [];

    [GlobalSetup]
    public void Setup()
    {
        const int count = 30 * 24 * 60;
        readings = new (DateTimeOffset, double)[count + 1];
        for (var i = 0; i <= count; i++)
        {
            // A compressor cycle of 40 minutes, ±1.5 °C around 5 °C.
            readings[i] = (Fixtures.T0.AddMinutes(i), 5.0 + (1.5 * Math.Sin(i * 2 * Math.PI / 40)));
        }
    }

    [Benchmark(Description = "Mkt.Compute (30 d of 1-min readings)")]
    public double? Compute() => Mkt.Compute(readings);
}
