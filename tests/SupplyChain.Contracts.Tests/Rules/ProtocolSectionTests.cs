using SupplyChain.Contracts.Rules;

namespace SupplyChain.Contracts.Tests.Rules;

/// <summary>PROTOCOL.md §6 names every code the rules emit; these tests keep the document and the enums in step.</summary>
public sealed class ProtocolSectionTests
{
    private static readonly string Section = RulesSection();

    public static TheoryData<string> RuleReasons => [.. Enum.GetNames<RuleReason>()];

    public static TheoryData<string> VerificationFailures => [.. Enum.GetNames<VerificationFailure>()];

    public static TheoryData<string> Statuses => [.. Enum.GetNames<PackStatus>()];

    [Theory]
    [MemberData(nameof(RuleReasons))]
    public void Section6_NamesEveryRuleReason(string name) => Assert.Contains($"`{name}`", Section, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(VerificationFailures))]
    public void Section6_NamesEveryVerificationFailure(string name) => Assert.Contains($"`{name}`", Section, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Section6_NamesEveryStatus(string name) => Assert.Contains($"`{name}`", Section, StringComparison.Ordinal);

    [Fact]
    public void Section6_WorkedMktExample_MatchesTheCode()
    {
        Assert.Contains("2 h at 20 °C, 4 h at 2 °C, 1 h at 25 °C → 15.68 °C", Section, StringComparison.Ordinal);
        var mkt = Mkt.Compute([(TimeSpan.FromHours(2), 20.0), (TimeSpan.FromHours(4), 2.0), (TimeSpan.FromHours(1), 25.0)]);
        Assert.Equal("15.68", mkt!.Value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string RulesSection()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", "PROTOCOL.md");
            if (File.Exists(Path.Combine(dir.FullName, "SupplyChain.sln")) && File.Exists(path))
            {
                var text = File.ReadAllText(path);
                var start = text.IndexOf("## 6. Rules", StringComparison.Ordinal);
                return start >= 0 ? text[start..] : throw new InvalidDataException("PROTOCOL.md has no section 6. Rules.");
            }
        }

        throw new DirectoryNotFoundException("SupplyChain.sln not found above " + AppContext.BaseDirectory);
    }
}
