using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Tests.Devices;

public sealed class AgentEnrolmentLineTests
{
    private const string Key = "O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=";

    [Theory]
    // What coldtrace-agent keygen prints (agent/Identity/EnrolmentLine.cs).
    [InlineData($"hub devices enroll --id fridge-1 --key {Key} --site 9506000134390 --role sensor")]
    [InlineData($"  coldtrace-hub devices enroll --id fridge-1 --key {Key} --site 9506000134390 --role sensor\n")]
    [InlineData($"--id=fridge-1 --key={Key} --site=9506000134390 --role=sensor")]
    [InlineData($"coldtrace-hub devices enroll --data /var/lib/coldtrace --actor ops --id fridge-1 --key {Key} --site 9506000134390 --role sensor")]
    public void TryParse_AgentLine_Values(string text)
    {
        Assert.True(AgentEnrolmentLine.TryParse(text, out var line, out var reason), reason);
        Assert.Equal(new AgentEnrolmentLine("fridge-1", Key, "9506000134390", "sensor", null), line);
    }

    [Fact]
    public void TryParse_Password_Kept()
    {
        Assert.True(AgentEnrolmentLine.TryParse($"hub devices enroll --id a --key {Key} --site 9506000134390 --role sensor --password 0123456789abcdefXY", out var line, out _));
        Assert.Equal("0123456789abcdefXY", line!.Password);
    }

    [Theory]
    [InlineData("", "paste the enrolment line")]
    [InlineData($"hub devices enroll --id a --key {Key} --site 9506000134390", "missing --role")]
    [InlineData($"hub devices enroll --id a --key {Key} --site 9506000134390 --role sensor --colour red", "unknown option --colour")]
    [InlineData($"hub devices enroll --id a --id b --key {Key} --site 9506000134390 --role sensor", "--id is given twice")]
    [InlineData($"hub devices enroll --id a --key {Key} --site 9506000134390 --role", "--role needs a value")]
    [InlineData($"hub devices enroll --id a b --key {Key}", "unexpected 'b'")]
    public void TryParse_Bad_Reason(string text, string expected)
    {
        Assert.False(AgentEnrolmentLine.TryParse(text, out _, out var reason));
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }
}
