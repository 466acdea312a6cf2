using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.Tests.Custody;

public sealed class ColdChainOptionsTests
{
    [Fact]
    public void TryBuild_ValidProfile_KeyedByGtin()
    {
        var options = Options(("09506000134352", new ColdChainProfileOptions { LowerCelsius = 2, UpperCelsius = 8, MaxExcursion = TimeSpan.FromMinutes(30) }));

        Assert.True(options.TryBuild(out var profiles, out var problem), problem);

        var (gtin, profile) = Assert.Single(profiles);
        Assert.Equal("09506000134352", gtin.Value);
        Assert.Equal((2m, 8m, TimeSpan.FromMinutes(30)), (profile.LowerCelsius, profile.UpperCelsius, profile.MaxExcursion));
        Assert.Equal(TimeSpan.FromDays(30), profile.MktWindow);
    }

    [Theory]
    [InlineData("09506000134353", 2, 8, "ColdChain:Profiles:09506000134353: ")]
    [InlineData("09506000134352", 8, 2, "ColdChain:Profiles:09506000134352: LowerCelsius is above UpperCelsius.")]
    [InlineData("09506000134352", null, 8, "ColdChain:Profiles:09506000134352: LowerCelsius and UpperCelsius are required.")]
    public void TryBuild_BadProfile_ProblemNamesTheKey(string gtin, int? lower, int? upper, string expected)
    {
        var options = Options((gtin, new ColdChainProfileOptions { LowerCelsius = lower, UpperCelsius = upper }));

        Assert.False(options.TryBuild(out _, out var problem));

        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        Assert.True(new ColdChainOptionsValidator().Validate(null, options).Failed);
    }

    private static ColdChainOptions Options(params (string Gtin, ColdChainProfileOptions Profile)[] profiles) =>
        new() { Profiles = profiles.ToDictionary(p => p.Gtin, p => p.Profile, StringComparer.Ordinal) };
}
