using SupplyChain.Agent.Recalls;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Agent.Tests.Recalls;

public sealed class HubKeyOptionsTests
{
    [Fact]
    public void Validate_TheHubsVerifierKey_SucceedsAndGivesThatKey()
    {
        var hub = NoteSigner.Generate("hub.coldtrace.test/log");
        var options = new HubKeyOptions { HubKey = hub.VerifierKey + "\n" };

        Assert.True(new HubKeyOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(hub.VerifierKey, options.Verifier()!.VerifierKey);
    }

    [Fact]
    public void Validate_Empty_SucceedsWithTheCheckOff()
    {
        var options = new HubKeyOptions();

        Assert.True(new HubKeyOptionsValidator().Validate(null, options).Succeeded);
        Assert.Null(options.Verifier());
    }

    [Theory]
    [InlineData("hub.coldtrace.test/log")]
    [InlineData("PRIVATE+KEY+hub+12345678+AQ==")]
    public void Validate_NotAVerifierKey_FailsNamingTheKey(string text)
    {
        var result = new HubKeyOptionsValidator().Validate(null, new HubKeyOptions { HubKey = text });

        Assert.True(result.Failed);
        Assert.StartsWith("Delivery:HubKey", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeyIdNotMatchingTheKey_Fails()
    {
        var key = NoteSigner.Generate("hub.coldtrace.test/log").VerifierKey;
        var parts = key.Split('+');
        var wrongId = string.Join('+', parts[0], parts[1] == "00000000" ? "00000001" : "00000000", parts[2]);

        Assert.True(new HubKeyOptionsValidator().Validate(null, new HubKeyOptions { HubKey = wrongId }).Failed);
    }
}
