using SupplyChain.Hub.Tests.Storage;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Scenario;

/// <summary>Issue #5, "Done when", second bullet: the whole custody story over real processes (see <see cref="ColdChainScenario"/>).</summary>
[Collection(PostgresTests.Name)]
public sealed class ScenarioTests(ITestOutputHelper output, PostgresCluster postgres)
{
    [Fact]
    public async Task Scenario_EmbeddedBroker_EveryAnswerMatchesTheStoryAndEveryProofVerifiesOffline()
    {
        await using var broker = ScenarioBroker.Embedded();
        await new ColdChainScenario(broker, output.WriteLine).RunAsync();
    }

    [Fact]
    public async Task Scenario_Mosquitto_EveryAnswerMatchesTheStoryAndEveryProofVerifiesOffline()
    {
        await using var broker = ScenarioBroker.Mosquitto();
        await new ColdChainScenario(broker, output.WriteLine).RunAsync();
    }

    [Fact]
    public async Task Scenario_PostgresStorage_EveryAnswerMatchesTheStoryAndEveryProofVerifiesOffline()
    {
        await using var broker = ScenarioBroker.Embedded();
        await new ColdChainScenario(broker, output.WriteLine, await postgres.NewDatabaseAsync()).RunAsync();
    }
}
