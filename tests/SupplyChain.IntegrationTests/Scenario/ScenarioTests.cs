using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Scenario;

/// <summary>Issue #5, "Done when", second bullet: the whole custody story over real processes (see <see cref="ColdChainScenario"/>).</summary>
public sealed class ScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Scenario_EmbeddedBroker_EveryAnswerMatchesTheStoryAndEveryProofVerifiesOffline() =>
        await new ColdChainScenario(ScenarioBroker.Embedded(), output.WriteLine).RunAsync();
}
