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

    /// <summary>
    /// Issue #10 item 2: the same story with two hub instances on one PostgreSQL database behind Mosquitto's shared
    /// subscription; the integrating instance is SIGKILLed while the line's packs flow and started again, and the log
    /// audits clean at the end.
    /// </summary>
    [Fact]
    public async Task Scenario_TwoHubsOnPostgresBehindMosquitto_IntegratorKilledMidRun_EveryAnswerMatchesTheStoryAndEveryProofVerifiesOffline()
    {
        await using var broker = ScenarioBroker.Mosquitto();
        await new ColdChainScenario(broker, output.WriteLine, await postgres.NewDatabaseAsync(), twoHubs: true).RunAsync();
    }

    [Fact]
    public async Task Scenario_PostgresStorage_EveryAnswerMatchesTheStoryAndEveryProofVerifiesOffline()
    {
        await using var broker = ScenarioBroker.Embedded();
        await new ColdChainScenario(broker, output.WriteLine, await postgres.NewDatabaseAsync()).RunAsync();
    }
}
