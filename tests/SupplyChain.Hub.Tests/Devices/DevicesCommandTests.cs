using System.CommandLine;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Ingest;

namespace SupplyChain.Hub.Tests.Devices;

public sealed class DevicesCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(string dataDirectory, params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await HubCommandLine.Build()
            .Parse(["devices", .. arguments, "--data", dataDirectory])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static string NewDirectory() => Directory.CreateTempSubdirectory("coldtrace-devices-").FullName;

    [Fact]
    public async Task EnrollListRevoke_RoundTrip_StatusAndDecisionsLogged()
    {
        var data = NewDirectory();
        using var device = new TestDevice("pharmacy-7");

        var enrolled = await RunAsync(data, "enroll", "--id", device.Id, "--key", device.PublicKeyBase64, "--site", TestDevice.Site, "--role", "pharmacy", "--actor", "alice");
        var listed = await RunAsync(data, "list");
        var revoked = await RunAsync(data, "revoke", "--id", device.Id, "--reason", "scanner stolen", "--actor", "bob");
        var relisted = await RunAsync(data, "list");

        Assert.Equal(0, enrolled.Exit);
        Assert.Contains("MQTT password (shown once", enrolled.Output, StringComparison.Ordinal);
        Assert.Contains($"pharmacy-7\tactive\tpharmacy\t{TestDevice.Site}\t{device.Signer.KeyId}", listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, revoked.Exit);
        Assert.Contains("pharmacy-7\trevoked", relisted.Output, StringComparison.Ordinal);
        Assert.Contains("(scanner stolen)", relisted.Output, StringComparison.Ordinal);

        using var store = new LiteDbLogStore(Path.Combine(data, "log.db"));
        var decisions = store.ReadEntries(0, 10).Select(e => (Kind: e.Leaf[0], Decision: DeviceDecision.Decode(e.Leaf.AsSpan(1))!)).ToList();
        Assert.Equal(2, decisions.Count);
        Assert.All(decisions, d => Assert.Equal((byte)LogLeafKind.HubDecision, d.Kind));
        Assert.Equal((DeviceDecision.Enrolled, "alice", (string?)null), (decisions[0].Decision.Decision, decisions[0].Decision.Actor, decisions[0].Decision.Reason));
        Assert.Equal((DeviceDecision.Revoked, "bob", "scanner stolen"), (decisions[1].Decision.Decision, decisions[1].Decision.Actor, decisions[1].Decision.Reason));
        Assert.Equal(device.PublicKeyBase64, decisions[0].Decision.PublicKey);
        Assert.Equal(device.Signer.KeyId.ToString(), decisions[1].Decision.KeyId);
    }

    [Fact]
    public async Task Enroll_GeneratedPassword_OpensTheBrokerOnceTheHubRuns()
    {
        var data = NewDirectory();
        using var device = new TestDevice("pharmacy-7");
        var enrolled = await RunAsync(data, "enroll", "--id", device.Id, "--key", device.PublicKeyBase64, "--site", TestDevice.Site, "--role", "pharmacy");
        var password = enrolled.Output.Split(": ")[^1].Trim();

        await using var hub = await RunningHub.StartAsync(data);

        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, await MqttDevice.TryConnectAsync(hub.BrokerPort, device.Id, device.Id, password));
    }

    [Fact]
    public async Task Enroll_SameIdTwice_SecondRefused()
    {
        var data = NewDirectory();
        using var device = new TestDevice("pharmacy-7");
        using var other = new TestDevice("pharmacy-8");
        await RunAsync(data, "enroll", "--id", device.Id, "--key", device.PublicKeyBase64, "--site", TestDevice.Site, "--role", "pharmacy");

        var again = await RunAsync(data, "enroll", "--id", device.Id, "--key", other.PublicKeyBase64, "--site", TestDevice.Site, "--role", "pharmacy");
        var sameKey = await RunAsync(data, "enroll", "--id", other.Id, "--key", device.PublicKeyBase64, "--site", TestDevice.Site, "--role", "pharmacy");

        Assert.Equal(1, again.Exit);
        Assert.Contains("already enrolled", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, sameKey.Exit);
        Assert.Contains("key is already enrolled for device pharmacy-7", sameKey.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad id!", "AAAA", TestDevice.Site, "pharmacy", "bad device id")]
    [InlineData("pharmacy-7", "not base64!", TestDevice.Site, "pharmacy", "bad key: not base64")]
    [InlineData("pharmacy-7", "AAECAw==", TestDevice.Site, "pharmacy", "bad key: not a raw 32-byte Ed25519 public key")]
    [InlineData("pharmacy-7", null, "9506000134384", "pharmacy", "bad site GLN")]
    [InlineData("pharmacy-7", null, "95060001", "pharmacy", "bad site GLN")]
    [InlineData("pharmacy-7", null, TestDevice.Site, "janitor", "bad role")]
    public async Task Enroll_BadInput_RefusedWithReason(string id, string? key, string site, string role, string reason)
    {
        var data = NewDirectory();
        using var device = new TestDevice("pharmacy-7");

        var result = await RunAsync(data, "enroll", "--id", id, "--key", key ?? device.PublicKeyBase64, "--site", site, "--role", role);

        Assert.Equal(1, result.Exit);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Empty((await RunAsync(data, "list")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
    }

    [Fact]
    public async Task Enroll_ShortPassword_Refused()
    {
        var data = NewDirectory();
        using var device = new TestDevice("pharmacy-7");

        var result = await RunAsync(data, "enroll", "--id", device.Id, "--key", device.PublicKeyBase64, "--site", TestDevice.Site, "--role", "pharmacy", "--password", "short");

        Assert.Equal(1, result.Exit);
        Assert.Contains("password too short", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_UnknownDevice_Refused()
    {
        var result = await RunAsync(NewDirectory(), "revoke", "--id", "nobody", "--reason", "test");

        Assert.Equal(1, result.Exit);
        Assert.Contains("not enrolled", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_WhileTheHubRuns_RefusedWithHint()
    {
        var data = NewDirectory();
        using var device = new TestDevice("pharmacy-7");
        await using var hub = await RunningHub.StartAsync(data);

        var result = await RunAsync(data, "enroll", "--id", device.Id, "--key", device.PublicKeyBase64, "--site", TestDevice.Site, "--role", "pharmacy");

        Assert.NotEqual(0, result.Exit);
        Assert.Contains("is the hub running", result.Error, StringComparison.Ordinal);
    }
}
