using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SupplyChain.Hub.Audit;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Audit;

/// <summary>The in-hub audit and the checked consistency proof (<c>/v1/log/audit</c>, <c>/v1/log/consistency</c>) on the real hub.</summary>
public sealed class AuditApiTests
{
    private static IEnumerable<string> Decisions(int count, string tag) => Enumerable.Range(0, count).Select(i => $"{{\"{tag}\":{i}}}");

    [Fact]
    public async Task Audit_Auditor_CleanOverEveryEntry()
    {
        await using var hub = await RunningHub.StartAsync();
        var size = await hub.AppendAndIntegrateAsync(Decisions(300, "a"));
        using var auditor = ApiUser.Add(hub, "olga", "auditor");

        var before = await hub.Http.GetFromJsonAsync<JsonElement>("/v1/log/audit");
        var started = await auditor.Http.PostAsync(new Uri("/v1/log/audit", UriKind.Relative), null);
        await hub.Service<AuditRunner>().Completion;
        var after = await hub.Http.GetFromJsonAsync<JsonElement>("/v1/log/audit");

        Assert.Equal("never", before.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(("clean", "olga"), (after.GetProperty("state").GetString(), after.GetProperty("requestedBy").GetString()));
        Assert.True(after.GetProperty("entries").GetInt64() >= size);
        Assert.True(after.GetProperty("checkpoints").GetInt32() >= 1);
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("finished").ValueKind);
    }

    [Fact]
    public async Task Audit_WarehouseOrNoToken_Refused()
    {
        await using var hub = await RunningHub.StartAsync();
        using var warehouse = ApiUser.Add(hub, "wendy", "warehouse");

        var forbidden = await warehouse.Http.PostAsync(new Uri("/v1/log/audit", UriKind.Relative), null);
        var anonymous = await hub.Http.PostAsync(new Uri("/v1/log/audit", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("never", (await hub.Http.GetFromJsonAsync<JsonElement>("/v1/log/audit")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Snapshot_LogGrowsAfterwards_AuditOfTheSnapshotClean()
    {
        await using var hub = await RunningHub.StartAsync();
        await hub.AppendAndIntegrateAsync(Decisions(300, "a"));
        var store = hub.Service<ILogStore>();
        var key = hub.Service<HubSigningKey>();
        var snapshot = new AuditSnapshot(store);

        // Partial tiles grow and new checkpoints are signed after the snapshot was taken.
        var grown = await hub.AppendAndIntegrateAsync(Decisions(300, "b"));
        var report = new LogAudit(snapshot, key.Verifier, "coldtrace.localhost/log").Run();
        var whole = new LogAudit(new AuditSnapshot(store), key.Verifier, "coldtrace.localhost/log").Run();

        Assert.True(report.IsClean, report.Failure);
        Assert.Equal(snapshot.ReadState().SequencedSize, report.Entries);
        Assert.True(whole.IsClean, whole.Failure);
        Assert.True(whole.Entries >= grown);
        Assert.True(grown > report.Entries);
    }

    [Fact]
    public async Task Consistency_HalfToWhole_VerifiedAgainstTheSignedCheckpoint()
    {
        await using var hub = await RunningHub.StartAsync();
        var size = await hub.AppendAndIntegrateAsync(Decisions(40, "a"));

        var answer = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/log/consistency?from={size / 2}&to={size}");

        Assert.True(answer.GetProperty("verified").GetBoolean(), answer.GetProperty("reason").GetString());
        Assert.Equal(ConsistencyCheck.SignedCheckpoint, answer.GetProperty("newer").GetProperty("source").GetString());
        Assert.Contains($"\n{size}\n", answer.GetProperty("newer").GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(answer.GetProperty("proof").EnumerateArray());
        // The proof is the one /v1/log/proof/consistency serves.
        var served = await hub.Http.GetFromJsonAsync<JsonElement>($"/v1/log/proof/consistency?old={size / 2}&new={size}");
        Assert.Equal(served.GetProperty("proof").GetRawText(), answer.GetProperty("proof").GetRawText());
    }

    [Theory]
    [InlineData("from=0&to=1")]
    [InlineData("from=5&to=2")]
    [InlineData("from=1&to=999999")]
    [InlineData("from=one&to=2")]
    [InlineData("to=2")]
    public async Task Consistency_BadSizes_400(string query)
    {
        await using var hub = await RunningHub.StartAsync();
        await hub.AppendAndIntegrateAsync(Decisions(5, "a"));

        var response = await hub.Http.GetAsync(new Uri($"/v1/log/consistency?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
