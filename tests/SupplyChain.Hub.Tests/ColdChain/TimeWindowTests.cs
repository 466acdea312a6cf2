using SupplyChain.Hub.ColdChain;

namespace SupplyChain.Hub.Tests.ColdChain;

public sealed class TimeWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryParse_Nothing_Last24Hours()
    {
        Assert.True(TimeWindow.TryParse(null, "", Now, TimeSpan.FromDays(31), out var window, out _));
        Assert.Equal(new TimeWindow(Now.AddDays(-1), Now), window);
    }

    [Fact]
    public void TryParse_DatetimeLocalWithoutOffset_Utc()
    {
        Assert.True(TimeWindow.TryParse("2026-03-01T08:00", "2026-03-01T09:30+01:00", Now, TimeSpan.FromDays(31), out var window, out var reason), reason);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), window.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 30, 0, TimeSpan.Zero), window.To);
    }

    [Theory]
    [InlineData("yesterday", null, "from must be")]
    [InlineData(null, "2026-13-01T00:00:00Z", "to must be")]
    [InlineData("2026-03-01T10:00:00Z", "2026-03-01T09:00:00Z", "before")]
    [InlineData("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", "before")]
    [InlineData("2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z", "at most 31 days")]
    public void TryParse_Bad_Reason(string? from, string? to, string expected)
    {
        Assert.False(TimeWindow.TryParse(from, to, Now, TimeSpan.FromDays(31), out _, out var reason));
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }
}
