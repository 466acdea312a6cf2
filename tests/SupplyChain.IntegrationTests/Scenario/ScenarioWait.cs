using System.Diagnostics;

namespace SupplyChain.IntegrationTests.Scenario;

internal static class ScenarioWait
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails after a minute with what the processes said.</summary>
    public static async Task Eventually(string what, Func<Task<bool>> condition, Func<string> diagnostics, Action? alive = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            alive?.Invoke();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"not in time: {what}\n{diagnostics()}");
            await Task.Delay(100);
        }
    }
}
