using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Storage;

namespace SupplyChain.Hub.Tests.Broker;

public sealed class ExternalBrokerOptionsTests
{
    private static BrokerOptions External(Action<ExternalBrokerOptions> change)
    {
        var options = new BrokerOptions { Mode = BrokerMode.External, External = { Host = "broker.example", Password = "secret-for-tests" } };
        change(options.External);
        return options;
    }

    private static ExternalBrokerOptionsValidator Validator(StorageBackend backend = StorageBackend.LiteDb) =>
        new(Microsoft.Extensions.Options.Options.Create(new StorageOptions { Backend = backend, ConnectionString = "Host=db" }));

    [Fact]
    public void Validate_SharedGroupOnPostgresWithOwnClientId_Succeeds() =>
        Assert.True(Validator(StorageBackend.Postgres).Validate(null, External(e => { e.SharedGroup = "hubs"; e.ClientId = "hub-a"; })).Succeeded);

    [Theory]
    [InlineData("lite", "several hub instances need Storage:Backend=Postgres")]
    [InlineData("embedded", "Broker:External:SharedGroup needs Broker:Mode=External")]
    [InlineData("slash", "must not contain '/', '+', '#'")]
    [InlineData("client", "Broker:External:ClientId must be set to a name of this instance's own")]
    public void Validate_SharedGroupWrong_FailureNamesTheKey(string wrong, string expected)
    {
        var options = External(e => { e.SharedGroup = wrong == "slash" ? "hubs/a" : "hubs"; e.ClientId = wrong == "client" ? e.ClientId : "hub-a"; });
        if (wrong == "embedded")
        {
            options.Mode = BrokerMode.Embedded;
        }

        var result = Validator(wrong == "lite" ? StorageBackend.LiteDb : StorageBackend.Postgres).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SharedGroupOnLiteDb_RefusedNamingTheBackend()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => RunningHub.StartAsync(
                null, "--Broker:Mode=External", "--Broker:External:Host=127.0.0.1", "--Broker:External:Password=x",
                "--Broker:External:SharedGroup=hubs", "--Broker:External:ClientId=hub-a"));

        Assert.Contains("several hub instances need Storage:Backend=Postgres", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CompleteExternalSettings_Succeeds() =>
        Assert.True(Validator().Validate(null, External(_ => { })).Succeeded);

    [Fact]
    public void Validate_EmbeddedModeWithEmptyExternalSection_Succeeds() =>
        Assert.True(Validator().Validate(null, new BrokerOptions()).Succeeded);

    [Theory]
    [InlineData("host", "Broker:External:Host is required")]
    [InlineData("port", "Broker:External:Port must lie between")]
    [InlineData("no-password", "Broker:External:Password or Broker:External:PasswordFile is required")]
    [InlineData("both-passwords", "Broker:External:Password or Broker:External:PasswordFile is required")]
    [InlineData("missing-password-file", "Broker:External:PasswordFile '/nonexistent/hub.password' does not exist")]
    [InlineData("ca-without-tls", "Broker:External:CaFile is set but Broker:External:UseTls is false")]
    [InlineData("backoff", "Broker:External:BackoffMax must not be below Broker:External:BackoffInitial")]
    [InlineData("timeout", "Broker:External:Timeout must be positive")]
    public void Validate_WrongSetting_FailureNamesTheKey(string wrong, string expected)
    {
        var options = External(external =>
        {
            switch (wrong)
            {
                case "host": external.Host = " "; break;
                case "port": external.Port = 0; break;
                case "no-password": external.Password = null; break;
                case "both-passwords": external.PasswordFile = "/etc/hostname"; break;
                case "missing-password-file": external.Password = null; external.PasswordFile = "/nonexistent/hub.password"; break;
                case "ca-without-tls": external.CaFile = "/etc/hostname"; break;
                case "backoff": external.BackoffMax = TimeSpan.FromMilliseconds(10); break;
                case "timeout": external.Timeout = TimeSpan.Zero; break;
            }
        });

        var result = Validator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ExternalModeWithoutHost_FailsNamingTheKey()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => RunningHub.StartAsync(null, "--Broker:Mode=External", "--Broker:External:Password=x"));

        Assert.Contains("Broker:External:Host", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0.0, 500)]
    [InlineData(0, 1.0, 1000)]
    [InlineData(3, 1.0, 8000)]
    [InlineData(10, 1.0, 30000)]
    [InlineData(10, 0.0, 15000)]
    public void Backoff_Attempt_DoublesUpToTheCapWithEqualJitter(int attempt, double random, double expectedMs) =>
        Assert.Equal(expectedMs, ExternalBroker.Backoff(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), random).TotalMilliseconds, 3);
}
