using SupplyChain.Agent.Scanners;

namespace SupplyChain.Agent.Tests.Scanners;

public sealed class Fnc1SubstituteTests
{
    [Theory]
    [InlineData('^')]
    [InlineData('~')]
    [InlineData('#')]
    public void TryCreate_OutsideCset82_Succeeds(char c)
    {
        Assert.True(Fnc1Substitute.TryCreate(c, out var substitute, out _));
        Assert.Equal(c, substitute.Character);
    }

    [Theory]
    [InlineData('A')]
    [InlineData('0')]
    [InlineData('%')]
    [InlineData('_')]
    [InlineData(' ')]
    public void TryCreate_CharacterThatCanBeData_FailsWithReason(char c)
    {
        Assert.False(Fnc1Substitute.TryCreate(c, out var substitute, out var error));
        Assert.Null(substitute.Character);
        Assert.Contains(c.ToString(), error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_Configured_ReplacesEveryOccurrence()
    {
        Assert.True(Fnc1Substitute.TryCreate('~', out var tilde, out _));

        Assert.Equal("10A\u001D21B\u001D17", tilde.Apply("10A~21B~17"));
    }

    [Fact]
    public void Apply_None_LeavesTheScanAlone() =>
        Assert.Equal("10A~21B", Fnc1Substitute.None.Apply("10A~21B"));
}
