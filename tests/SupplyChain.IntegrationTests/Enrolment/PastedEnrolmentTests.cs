using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Station;
using SupplyChain.Hub.Devices;

namespace SupplyChain.IntegrationTests.Enrolment;

/// <summary>The line an agent's <c>keygen</c> prints, pasted into the hub's devices page, names that agent's key.</summary>
public sealed class PastedEnrolmentTests
{
    [Fact]
    public void TryParse_AgentKeygenLine_TheAgentsIdKeySiteAndRole()
    {
        var directory = Directory.CreateTempSubdirectory("coldtrace-agent-").FullName;
        using var identity = DeviceIdentity.LoadOrCreate(directory, "fridge-7");
        var printed = EnrolmentLine.For(identity, "9506000134390", StationRole.Storage);

        Assert.True(AgentEnrolmentLine.TryParse(printed, out var line, out var reason), reason);
        Assert.Equal(new AgentEnrolmentLine("fridge-7", identity.PublicKeyBase64, "9506000134390", "sensor", null), line);
    }
}
