using System.ComponentModel.DataAnnotations;
using SupplyChain.Agent.Sensors.Sampling;

namespace SupplyChain.Agent.Tests.Sensors.Sampling;

public sealed class SamplerOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid() =>
        Assert.Empty(Validate(new SamplerOptions()));

    [Fact]
    public void Validate_ZeroIntervalAndImpossibleRange_NamesTheKeys()
    {
        var errors = Validate(new SamplerOptions { SampleInterval = TimeSpan.Zero, MaxCelsius = 200 });

        Assert.Equal(["MaxCelsius", "SampleInterval"], errors.SelectMany(e => e.MemberNames).Order(StringComparer.Ordinal));
    }

    private static List<ValidationResult> Validate(SamplerOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
