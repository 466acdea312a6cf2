using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.ColdChain;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Ingest;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Web;

/// <summary>The devices page in Chromium against a real hub: reading for admins, auditors and warehouse staff, enrolment and revocation for admins only.</summary>
public sealed class DevicesPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Devices_Auditor_ListWithActivityAndNoForms()
    {
        await using var scenario = await ColdChainScenario.StartAsync();
        var red = await scenario.Sites.Wholesaler.SendAsync(scenario.Sites.Wholesaler.Receive(ChainSites.MakerGln, "S1"));
        await scenario.Sites.Wholesaler.Mqtt.PublishAsync("not an envelope"u8.ToArray());
        await scenario.Sites.Wholesaler.Mqtt.NextAckAsync();
        var report = new StationStatus
        {
            Device = "wholesaler-1",
            Time = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero),
            ClockSynced = true,
            CustodyBacklog = 4,
            SensorBacklog = 9,
            OldestWaiting = new DateTimeOffset(2026, 11, 24, 7, 15, 0, TimeSpan.Zero),
            Rejected = 0,
            SensorFaults = [new StationSensorFaults { Sensor = "sht3x-0x44", Count = 6, LastFault = "nack" }],
            AgentVersion = "1.4.0",
        };
        Assert.Equal(
            MQTTnet.MqttClientPublishReasonCode.Success,
            await scenario.Sites.Wholesaler.Mqtt.PublishAsync(StationStatus.Encode(report), ColdTraceTopic.DeviceStatus(MqttDevice.DeviceIdOf("wholesaler-1"))));
        using var auditor = ApiUser.Add(scenario.Hub, "olga", "auditor");
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, auditor.Token);

        await page.GotoAsync("/devices");
        var rows = await page.Locator("[data-testid=devices-table] tbody tr[data-device]").CountAsync();
        var wholesaler = await page.Locator("tr[data-faults=wholesaler-1]").InnerTextAsync();
        var backlog = await page.Locator("td[data-backlog=wholesaler-1]").InnerTextAsync();
        var silentBacklog = await page.Locator("tr[data-device=maker-1] td.num").Last.InnerTextAsync();
        var forms = await page.Locator("[data-testid=enrol-form], .revoke-form").CountAsync();
        await Browser.ScreenshotAsync(page, "devices-tablet");

        Assert.Equal(5, rows);
        Assert.Contains("unexpected_receipt", wholesaler, StringComparison.Ordinal);
        Assert.Contains($"entry {red.Index}", wholesaler, StringComparison.Ordinal);
        Assert.Contains("rejected malformed_envelope", wholesaler, StringComparison.Ordinal);
        Assert.Contains("sht3x-0x44: 6 failed reads since the agent started, last nack", wholesaler, StringComparison.Ordinal);
        Assert.StartsWith("13", backlog, StringComparison.Ordinal);
        Assert.Contains("4 custody · 9 sensor", backlog, StringComparison.Ordinal);
        Assert.Contains("oldest 2026-11-24 07:15", backlog, StringComparison.Ordinal);
        Assert.Contains("reported ", backlog, StringComparison.Ordinal);
        Assert.Equal("—", silentBacklog.Trim());
        Assert.Equal(0, forms);
    }

    [Fact]
    public async Task Devices_Admin_EnrolsFromTheAgentLineThenRevokes_LoggedWithTheAdmin()
    {
        await using var hub = await RunningHub.StartAsync();
        using var admin = ApiUser.Add(hub, "root", "admin");
        using var device = new TestDevice("fridge-9");
        var page = await browser.NewPageAsync(hub);
        await Browser.SignInAsync(page, admin.Token);
        await page.GotoAsync("/devices");

        // The line coldtrace-agent keygen prints (agent/Identity/EnrolmentLine.cs).
        await page.FillAsync("#line", $"hub devices enroll --id {device.Id} --key {device.PublicKeyBase64} --site {ChainSites.WholesalerGln} --role sensor");
        await page.ClickAsync("[data-testid=enrol-form] button[type=submit]");
        var enrolled = await page.Locator("[data-testid=devices-message]").InnerTextAsync();
        var password = await page.Locator("[data-testid=generated-password]").InnerTextAsync();
        await Browser.ScreenshotAsync(page, "devices-admin-enrolled-tablet");
        var record = hub.Service<IDeviceRegistry>().Find(DeviceId.TryParse(device.Id, out var id, out _) ? id : default)!;

        var row = page.Locator("tr[data-device=fridge-9]");
        await row.Locator("summary").ClickAsync();
        await row.Locator("input[name=Reason]").FillAsync("sensor replaced");
        await row.Locator(".revoke-form button[type=submit]").ClickAsync();
        var revoked = await page.Locator("[data-testid=devices-message]").InnerTextAsync();
        var status = await page.Locator("tr[data-device=fridge-9] .badge").First.InnerTextAsync();
        var after = hub.Service<IDeviceRegistry>().Find(id)!;

        Assert.Contains("Enrolled fridge-9", enrolled, StringComparison.Ordinal);
        Assert.True(DevicePassword.Verify(System.Text.Encoding.UTF8.GetBytes(password), record.PasswordHash));
        Assert.Equal(device.PublicKeyBase64, Convert.ToBase64String(record.PublicKey));
        Assert.Contains("Revoked fridge-9", revoked, StringComparison.Ordinal);
        Assert.Equal("revoked", status);
        Assert.False(after.IsActive);
        var reader = hub.Service<LogReader>();
        var enrolment = JsonDocument.Parse(reader.Entry(record.EnrolledIndex)!.Leaf.AsMemory(1)).RootElement;
        var revocation = JsonDocument.Parse(reader.Entry(after.RevokedIndex!.Value)!.Leaf.AsMemory(1)).RootElement;
        Assert.Equal(("device_enrolled", "root"), (enrolment.GetProperty("decision").GetString(), enrolment.GetProperty("actor").GetString()));
        Assert.Equal(("device_revoked", "root", "sensor replaced"), (revocation.GetProperty("decision").GetString(), revocation.GetProperty("actor").GetString(), revocation.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Devices_ByRole_LinkAndPageOnlyForThoseWhoMayReadDevices()
    {
        await using var hub = await RunningHub.StartAsync();
        var seen = new List<string>();
        foreach (var role in new[] { "warehouse", "pharmacist", "quality" })
        {
            using var user = ApiUser.Add(hub, "u-" + role, role);
            var page = await browser.NewPageAsync(hub);
            await Browser.SignInAsync(page, user.Token);
            await page.GotoAsync("/verify");
            var links = await page.Locator("nav a[href='/devices']").CountAsync();
            var response = await page.GotoAsync("/devices");
            seen.Add($"{role}: link {links}, page {response!.Status}");
        }

        Assert.Equal(["warehouse: link 1, page 200", "pharmacist: link 0, page 403", "quality: link 0, page 403"], seen);
    }

    [Fact]
    public async Task Devices_ForgedPosts_Refused()
    {
        await using var hub = await RunningHub.StartAsync();
        using var auditor = ApiUser.Add(hub, "olga", "auditor");
        using var admin = ApiUser.Add(hub, "root", "admin");
        using var device = new TestDevice("fridge-9");
        var line = $"hub devices enroll --id {device.Id} --key {device.PublicKeyBase64} --site {ChainSites.WholesalerGln} --role sensor";

        // A signed-in auditor posting the enrol form with a valid antiforgery token: the role is refused.
        var auditorPage = await browser.NewPageAsync(hub);
        await Browser.SignInAsync(auditorPage, auditor.Token);
        await auditorPage.GotoAsync("/devices");
        var token = await auditorPage.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var asAuditor = await auditorPage.Context.APIRequest.PostAsync("/devices?handler=Enroll", new()
        {
            Form = FormOf(auditorPage.Context.APIRequest, ("__RequestVerificationToken", token!), ("Line", line)),
            MaxRedirects = 0,
        });

        // An admin's session, but a post without the antiforgery token (what a forged cross-site form would send).
        var adminPage = await browser.NewPageAsync(hub);
        await Browser.SignInAsync(adminPage, admin.Token);
        await adminPage.GotoAsync("/devices");
        var forged = await adminPage.Context.APIRequest.PostAsync("/devices?handler=Enroll", new()
        {
            Form = FormOf(adminPage.Context.APIRequest, ("Line", line)),
            MaxRedirects = 0,
        });

        Assert.Equal((int)HttpStatusCode.Forbidden, asAuditor.Status);
        Assert.Equal((int)HttpStatusCode.BadRequest, forged.Status);
        Assert.Null(hub.Service<IDeviceRegistry>().Find(DeviceId.TryParse(device.Id, out var id, out _) ? id : default));
    }

    private static IFormData FormOf(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
