using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Tests.Broker;

public sealed class MosquittoExportTests
{
    private static DeviceRecord Device(string id, string site, bool revoked = false)
    {
        Assert.True(DeviceId.TryParse(id, out var device, out _));
        Assert.True(Gln.TryParse(site, out var gln, out _));
        return new DeviceRecord(device, new byte[32], gln, DeviceRole.Pharmacy, "x", DateTimeOffset.UnixEpoch, 0, RevokedAt: revoked ? DateTimeOffset.UnixEpoch : null);
    }

    private static string RepositoryFile(params string[] parts)
    {
        // …/tests/SupplyChain.Hub.Tests/bin/<Configuration>/net10.0/
        var root = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine([root, .. parts]);
    }

    [Fact]
    public void Render_TwoDevices_IsWhatFirmwareConfigAclExampleShows()
    {
        var example = File.ReadAllLines(RepositoryFile("firmware-config", "mosquitto", "acl.example"));

        var rendered = MosquittoAcl.Render([Device("pharmacy-3", "9506000134383"), Device("dock-7", "9506000134376")], "$hub");

        // The example opens with two lines of its own, then shows the generated file verbatim.
        Assert.Equal(string.Join('\n', example.Skip(2)) + "\n", rendered);
    }

    [Fact]
    public void Render_RevokedDevice_HasNoUserBlock()
    {
        var rendered = MosquittoAcl.Render([Device("pharmacy-3", "9506000134383"), Device("old-1", "9506000134376", revoked: true)], "$hub");

        Assert.Contains("user pharmacy-3\ntopic read coldtrace/v1/sites/9506000134383/recalls\n", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("old-1", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("9506000134376", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EveryDeviceRuleOfTheEmbeddedBroker_HasItsPattern()
    {
        // BrokerAccess and the patterns must name the same per-device topics (PROTOCOL.md §5.1).
        Assert.True(DeviceId.TryParse("x", out var x, out _));
        var device = Device("x", "9506000134383");
        string[] published = [ColdTraceTopic.DeviceEvents(x), ColdTraceTopic.DeviceVerify(x), ColdTraceTopic.DeviceStatus(x)];
        string[] read = [ColdTraceTopic.DeviceAcks(x), ColdTraceTopic.DeviceAnswers(x), ColdTraceTopic.CheckpointTopic];

        Assert.All(published, topic => Assert.True(BrokerAccess.MayPublish(x, topic)));
        Assert.All(read, topic => Assert.True(BrokerAccess.MaySubscribe(device, topic)));
        Assert.Equal(
            [.. published.Select(t => "pattern write " + t.Replace("/x/", "/%u/", StringComparison.Ordinal)), .. read.Select(t => "pattern read " + t.Replace("/x/", "/%u/", StringComparison.Ordinal))],
            MosquittoAcl.DevicePatterns);
    }

    [Fact]
    public void Users_HandWrittenBlocks_NamesEveryUserLine()
    {
        var local = "# site bridges\nuser bridge-1\ntopic write coldtrace/v1/devices/a/events\n\n  user bridge-2 \ntopic read coldtrace/v1/checkpoint\n";

        Assert.Equal(["bridge-1", "bridge-2"], MosquittoAcl.Users(local));
    }

    [Fact]
    public void Prune_RevokedAndUnknownUsers_RemovedActiveKeptMissingNamed()
    {
        var file = "$hub:$7$101$aaa$bbb\npharmacy-3:$7$101$ccc$ddd\nold-1:$7$101$eee$fff\n\nghost:$7$101$ggg$hhh\n";

        var prune = MosquittoPasswordFile.Prune(file, new HashSet<string>(["$hub", "pharmacy-3", "dock-7"], StringComparer.Ordinal), ["pharmacy-3", "dock-7"]);

        Assert.Equal("$hub:$7$101$aaa$bbb\npharmacy-3:$7$101$ccc$ddd\n", prune.Text);
        Assert.Equal(["old-1", "ghost"], prune.Removed);
        Assert.Equal(["dock-7"], prune.Missing);
    }

    [Fact]
    public async Task ExportCommand_DeviceEnrolledAsTheHubUser_Refused()
    {
        var data = Directory.CreateTempSubdirectory("coldtrace-export-").FullName;
        using var device = new Ingest.TestDevice("coldtrace-hub");
        using (var output = new StringWriter())
        {
            var enrolled = await HubCommandLine.Build()
                .Parse(["devices", "enroll", "--id", device.Id, "--key", device.PublicKeyBase64, "--site", Ingest.TestDevice.Site, "--role", "pharmacy", "--password", device.Password, "--data", data])
                .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output });
            Assert.Equal(0, enrolled);
        }

        using var error = new StringWriter();
        var exit = await HubCommandLine.Build()
            .Parse(["devices", "export-mosquitto", "--data", data, "--acl", Path.Combine(data, "acl"), "--hub-user", "coldtrace-hub"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = error });

        Assert.Equal(1, exit);
        Assert.Contains("the hub's MQTT user", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "acl")));
    }
}
