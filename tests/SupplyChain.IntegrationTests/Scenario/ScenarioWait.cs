using System.Diagnostics;

namespace SupplyChain.IntegrationTests.Scenario;

internal static class ScenarioWait
{
    /// <summary>How long one step may take: generous, because two cores shared with other builds can stall a process for seconds.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(240);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <see cref="Limit"/> with what the processes said.</summary>
    public static async Task Eventually(string what, Func<Task<bool>> condition, Func<string> diagnostics, Action? alive = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            alive?.Invoke();
            Assert.True(watch.Elapsed < Limit, $"not in time: {what}\n{diagnostics()}");
            await Task.Delay(250);
        }
    }
}
