using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Ingest;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Recalls;

/// <summary>Device enrolment and revocation over the API for admins (issue #5 item 2), on the real hub and broker.</summary>
public sealed class DeviceApiTests
{
    [Fact]
    public async Task EnrollThenRevoke_BrokerAcceptsThenRefusesWithoutARestart()
    {
        await using var hub = await RunningHub.StartAsync();
        using var admin = ApiUser.Add(hub, "root", "admin");
        using var auditor = ApiUser.Add(hub, "carl", "auditor");
        using var device = new TestDevice("pharmacy-9");

        var enrolled = await admin.Http.PostAsJsonAsync("/v1/devices", new { id = device.Id, publicKey = device.PublicKeyBase64, site = TestDevice.Site, role = "pharmacy" });
        var body = await enrolled.Content.ReadFromJsonAsync<JsonElement>();
        var password = body.GetProperty("password").GetString()!;
        var connected = await MqttDevice.TryConnectAsync(hub.BrokerPort, device.Id, device.Id, password);
        var listed = await auditor.Http.GetFromJsonAsync<JsonElement>("/v1/devices");
        using var session = new MqttClientFactory().CreateMqttClient();
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        session.DisconnectedAsync += _ =>
        {
            disconnected.TrySetResult();
            return Task.CompletedTask;
        };
        await session.ConnectAsync(MqttDevice.Options(hub.BrokerPort, device.Id, device.Id, password));
        var revoked = await admin.Http.PostAsJsonAsync($"/v1/devices/{device.Id}/revoke", new { reason = "scanner lost" });
        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var refused = await MqttDevice.TryConnectAsync(hub.BrokerPort, device.Id, device.Id, password);

        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        Assert.Equal(MqttClientConnectResultCode.Success, connected);
        var listedDevice = Assert.Single(listed.GetProperty("devices").EnumerateArray());
        Assert.Equal(("pharmacy-9", "active", "pharmacy"), (listedDevice.GetProperty("id").GetString(), listedDevice.GetProperty("status").GetString(), listedDevice.GetProperty("role").GetString()));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("revoked", (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused);
        // Both decisions are logged with the admin's name.
        var reader = hub.Service<LogReader>();
        var enrolment = JsonDocument.Parse(reader.Entry(body.GetProperty("device").GetProperty("enrolledIndex").GetInt64())!.Leaf.AsMemory(1)).RootElement;
        Assert.Equal(("device_enrolled", "root"), (enrolment.GetProperty("decision").GetString(), enrolment.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task Enroll_BadOrDuplicate_ProblemDetails()
    {
        await using var hub = await RunningHub.StartAsync();
        using var admin = ApiUser.Add(hub, "root", "admin");
        using var device = new TestDevice("pharmacy-9");
        var request = new { id = device.Id, publicKey = device.PublicKeyBase64, site = TestDevice.Site, role = "pharmacy", password = device.Password };
        await admin.Http.PostAsJsonAsync("/v1/devices", request);

        var duplicate = await admin.Http.PostAsJsonAsync("/v1/devices", request);
        var badKey = await admin.Http.PostAsJsonAsync("/v1/devices", request with { id = "other", publicKey = "AAAA" });
        var badRole = await admin.Http.PostAsJsonAsync("/v1/devices", request with { id = "other", role = "robot" });
        var missing = await admin.Http.PostAsJsonAsync("/v1/devices", new { id = "other" });
        var unknown = await admin.Http.PostAsJsonAsync("/v1/devices/nobody/revoke", new { reason = "r" });
        var noReason = await admin.Http.PostAsJsonAsync($"/v1/devices/{device.Id}/revoke", new { });

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.Contains("bad key", (await badKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.All([duplicate, badKey, badRole, missing, unknown, noReason], r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
    }
}
