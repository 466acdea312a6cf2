using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Tests.Users;

/// <summary>Bearer tokens and roles on the real hub: 401 without a valid token, 403 with the wrong role, both ProblemDetails.</summary>
public sealed class AuthorizationTests
{
    private const string Gtin = "09506000134352";

    private static readonly object LotRecall = new { scope = new { type = "lot", gtin = Gtin, lot = "L1" }, reason = "test" };

    [Theory]
    [InlineData("POST", "/v1/recalls")]
    [InlineData("POST", "/v1/recalls/preview")]
    [InlineData("GET", "/v1/recalls")]
    [InlineData("GET", "/v1/recalls/R-1")]
    [InlineData("GET", "/v1/recalls/R-1/packs.csv")]
    [InlineData("POST", "/v1/recalls/R-1/close")]
    [InlineData("POST", "/v1/quarantine/release")]
    [InlineData("GET", "/v1/devices")]
    [InlineData("POST", "/v1/devices")]
    [InlineData("POST", "/v1/devices/d-1/revoke")]
    [InlineData("GET", "/v1/me")]
    public async Task ProtectedEndpoint_NoToken_401ProblemWithBearerChallenge(string method, string path)
    {
        await using var hub = await RunningHub.StartAsync();

        var response = await hub.Http.SendAsync(Request(method, path));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Sign-in required");
        Assert.Equal("Bearer realm=\"coldtrace\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("ct_tooshort")]
    [InlineData("ct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task ProtectedEndpoint_BadOrUnknownToken_401InvalidToken(string token)
    {
        await using var hub = await RunningHub.StartAsync();
        using var user = ApiUser.WithToken(hub, "nobody", token);

        var response = await user.Http.PostAsJsonAsync("/v1/recalls", LotRecall);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Sign-in required");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtectedEndpoint_OtherScheme_401()
    {
        await using var hub = await RunningHub.StartAsync();
        using var request = Request("GET", "/v1/me");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "YW5uYTpwdw==");

        var response = await hub.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Sign-in required");
    }

    [Fact]
    public async Task Token_UserRevokedWhileTheHubRuns_401FromTheNextRequest()
    {
        await using var hub = await RunningHub.StartAsync();
        using var user = ApiUser.Add(hub, "anna", "quality");
        var before = await user.Http.GetAsync("/v1/me");

        Assert.True(hub.Service<UserAccounts>().Revoke("anna").IsSuccess);
        var after = await user.Http.GetAsync("/v1/me");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await AssertProblemAsync(after, HttpStatusCode.Unauthorized, "Sign-in required");
    }

    [Theory]
    [InlineData("warehouse", "POST", "/v1/recalls")]
    [InlineData("pharmacist", "POST", "/v1/recalls")]
    [InlineData("auditor", "POST", "/v1/recalls")]
    [InlineData("admin", "POST", "/v1/recalls")]
    [InlineData("warehouse", "POST", "/v1/recalls/preview")]
    [InlineData("pharmacist", "POST", "/v1/recalls/R-1/close")]
    [InlineData("auditor", "POST", "/v1/quarantine/release")]
    [InlineData("quality", "POST", "/v1/devices")]
    [InlineData("auditor", "POST", "/v1/devices/d-1/revoke")]
    [InlineData("pharmacist", "GET", "/v1/devices")]
    public async Task ProtectedEndpoint_WrongRole_403ProblemNamingTheRole(string role, string method, string path)
    {
        await using var hub = await RunningHub.StartAsync();
        using var user = ApiUser.Add(hub, "someone", role);
        var logSize = hub.Service<Hub.Log.LogReader>().Size;

        using var request = Request(method, path);
        request.Content = JsonContent.Create(LotRecall);
        var response = await user.Http.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "Not allowed for this role");
        Assert.Contains($"'{role}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, hub.Service<Hub.Log.ILogStore>().ReadState().SequencedSize);
        Assert.Equal(0, logSize);
    }

    [Theory]
    [InlineData("warehouse")]
    [InlineData("pharmacist")]
    [InlineData("auditor")]
    public async Task ReadRecalls_AnySignedInRole_200(string role)
    {
        await using var hub = await RunningHub.StartAsync();
        using var user = ApiUser.Add(hub, "someone", role);

        var response = await user.Http.GetAsync("/v1/recalls");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Verification_NoTokenOrBadToken_StillOpen()
    {
        await using var hub = await RunningHub.StartAsync();
        using var bad = ApiUser.WithToken(hub, "nobody", "garbage");

        var anonymous = await hub.Http.GetAsync($"/v1/packs/{Gtin}/S1/verification");
        var withBadToken = await bad.Http.GetAsync($"/v1/packs/{Gtin}/S1/verification");
        var log = await bad.Http.GetAsync("/v1/log/key");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (anonymous.StatusCode, withBadToken.StatusCode, log.StatusCode));
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path);

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
