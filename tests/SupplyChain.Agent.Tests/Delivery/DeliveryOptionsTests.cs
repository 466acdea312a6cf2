using SupplyChain.Agent.Delivery;

namespace SupplyChain.Agent.Tests.Delivery;

public sealed class DeliveryOptionsTests
{
    [Fact]
    public void Validate_Defaults_SucceedWithDeliveryOff()
    {
        var options = new DeliveryOptions();

        Assert.False(options.IsEnabled);
        Assert.True(new DeliveryOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_HostWithoutPassword_NamesThePasswordKeys()
    {
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { Host = "hub.local" });

        Assert.True(result.Failed);
        Assert.Contains("Delivery:Password", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "Delivery:MaxEnvelopesPerMessage")]
    [InlineData(129, "Delivery:MaxEnvelopesPerMessage")]
    public void Validate_EnvelopesPerMessageOutOfRange_NamesTheKey(int envelopes, string key)
    {
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { MaxEnvelopesPerMessage = envelopes });

        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BackoffMaxBelowInitial_NamesBothKeys()
    {
        var result = new DeliveryOptionsValidator().Validate(
            null, new DeliveryOptions { BackoffInitial = TimeSpan.FromSeconds(10), BackoffMax = TimeSpan.FromSeconds(5) });

        Assert.Contains("Delivery:BackoffMax must not be below Delivery:BackoffInitial", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(86_401)]
    public void Validate_StatusIntervalOutOfRange_NamesTheKey(int seconds)
    {
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { StatusInterval = TimeSpan.FromSeconds(seconds) });

        Assert.Contains("Delivery:StatusInterval", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusInterval_Default_OneMinute() => Assert.Equal(TimeSpan.FromSeconds(60), new DeliveryOptions().StatusInterval);

    [Fact]
    public void Validate_CaFileWithoutTls_Fails()
    {
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { CaFile = "/etc/ssl/ca.pem" });

        Assert.Contains("Delivery:CaFile", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPassword_FromFile_FirstLineTrimmed()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "pa55word\n");
            Assert.Equal("pa55word", new DeliveryOptions { PasswordFile = path }.ReadPassword());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0)]
    [InlineData(65536)]
    public void Validate_KeepAliveNotWholeSecondsInRange_NamesTheKey(double seconds)
    {
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { KeepAlive = TimeSpan.FromSeconds(seconds) });

        Assert.Contains("Delivery:KeepAlive must lie between 1 and 65535 seconds", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void KeepAlive_Default_TenSeconds() => Assert.Equal(TimeSpan.FromSeconds(10), new DeliveryOptions().KeepAlive);

    [Theory]
    [InlineData(0, 0.0, 500)]
    [InlineData(0, 1.0, 1000)]
    [InlineData(3, 1.0, 8000)]
    [InlineData(10, 0.0, 30000)]
    [InlineData(40, 1.0, 60000)]
    public void Backoff_Attempt_DoublesUpToMaxWithEqualJitter(int attempt, double random, int expectedMs)
    {
        var delay = DeliveryService.Backoff(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), random);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }
}
