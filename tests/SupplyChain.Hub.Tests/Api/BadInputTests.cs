using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Routing;
using SupplyChain.Hub.Tests.Users;
using Xunit.Abstractions;

namespace SupplyChain.Hub.Tests.Api;

/// <summary>
/// Every <c>/v1</c> endpoint the hub maps (read from its <see cref="EndpointDataSource"/>, so a new one is covered or
/// fails this test until it has a row) answers bad input with a ProblemDetails and the right 4xx, never a 5xx: no token,
/// a bad token, the wrong role, garbage JSON, wrong JSON types, a wrong content type, an oversized body (declared and
/// chunked), unknown or malformed ids in the route, and invalid query values (docs/API.md "Errors", RELIABILITY.md).
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    private const string Unknown = "R-20000101-000000";

    /// <summary>One row per endpoint: who may call it, whether it takes a JSON body, probes for its route values and query.</summary>
    private static readonly Dictionary<string, Row> Table = new()
    {
        ["GET /v1/log/checkpoint"] = new(Access.Open),
        ["GET /v1/log/key"] = new(Access.Open),
        ["GET /v1/log/entries/{index}"] = new(Access.Open, Routes: [("99999999", 404), ("abc", 400), ("-1", 400), ("99999999999999999999", 400)]),
        ["GET /v1/log/proof/inclusion"] = new(Access.Open, Queries: [("", 400), ("index=abc", 400), ("index=0&size=99999999", 400), ("index=0&size=0", 400), ("index=99999999", 400)]),
        ["GET /v1/log/proof/inclusion-by-hash"] = new(Access.Open, Queries: [("", 400), ("hash=zz", 400), ("hash=" + new string('0', 64), 404), ("hash=" + new string('0', 64) + "&size=x", 400)]),
        ["GET /v1/log/proof/consistency"] = new(Access.Open, Queries: [("", 400), ("old=abc", 400), ("old=0", 400), ("old=1&new=99999999", 400), ("old=2&new=1", 400)]),
        ["GET /v1/log/proof/bundle/{index}"] = new(Access.Open, Routes: [("99999999", 404), ("x", 400)]),
        ["POST /v1/verify"] = new(Access.Open, Body: "{\"scan\":\"(01)09506000134352(21)S1\"}", Bodies:
        [
            ("{\"scan\":\"" + new string('9', 100_000) + "\"}", 400), ("{\"scan\":\"\\ud800\"}", 400), ("{\"scan\":\"(01)09506000134352(21)S1\",\"site\":\"x\"}", 400),
            ("{\"scan\":\"https://id.gs1.org/01/09506000134352/21/%FF\"}", 0), ("{\"scan\":\"]d2\u001d\u001d\"}", 400),
        ]),
        ["GET /v1/packs/{gtin}/{serial}/verification"] = new(
            Access.Open,
            Routes: [("12345/S1", 400), ("09506000134353/S1", 400), ("09506000134352/" + new string('x', 30), 400)],
            Queries: [("expiry=13", 400), ("site=1", 400), ("lot=", 400), ("lot=" + new string('L', 30), 400)]),
        ["GET /v1/me"] = new(Access.SignedIn),
        ["POST /v1/recalls/preview"] = new(Access.Role, Role: "auditor", WrongRole: "warehouse", Body: "{\"scope\":{\"type\":\"lot\",\"gtin\":\"09506000134352\",\"lot\":\"L1\"}}", Bodies:
        [
            ("{\"scope\":{\"type\":\"exposure\",\"location\":\"9506000134383\",\"from\":\"0001-01-01T00:00:00+14:00\",\"to\":\"9999-12-31T23:59:59-14:00\"}}", 0),
            ("{\"scope\":{\"type\":\"exposure\",\"sscc\":\"006141411234567890\",\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2025-01-01T00:00:00Z\"}}", 400),
            ("{\"scope\":{\"type\":\"serials\",\"gtin\":\"09506000134352\",\"serials\":[" + string.Join(',', Enumerable.Range(0, 1001).Select(i => $"\"S{i}\"")) + "]}}", 400),
            ("{\"scope\":{\"type\":\"serials\",\"packs\":[null]}}", 400), ("{\"scope\":{\"type\":\"container\"}}", 400), ("{\"scope\":{}}", 400),
        ]),
        ["POST /v1/recalls"] = new(Access.Role, Role: "quality", WrongRole: "auditor", Body: "{\"scope\":{\"type\":\"lot\",\"gtin\":\"09506000134352\",\"lot\":\"ZZ\"},\"reason\":\"\"}"),
        ["GET /v1/recalls"] = new(Access.SignedIn),
        ["GET /v1/recalls/{id}"] = new(Access.SignedIn, Routes: [(Unknown, 404), ("..", 404), ("%20", 404)]),
        ["GET /v1/recalls/{id}/packs.csv"] = new(Access.SignedIn, Routes: [(Unknown, 404)]),
        ["POST /v1/recalls/{id}/close"] = new(Access.Role, Role: "quality", WrongRole: "pharmacist", Body: "{\"reason\":\"done\"}", Routes: [(Unknown, 404)]),
        ["POST /v1/quarantine/release"] = new(Access.Role, Role: "quality", WrongRole: "warehouse", Body: "{\"packs\":[\"(01)09506000134352(21)NOPE\"],\"reason\":\"r\"}", Bodies:
        [
            ("{\"packs\":[\"(01)09506000134352(21)NOPE\"],\"reason\":\"" + new string('r', 5000) + "\"}", 400),
            ("{\"gtin\":\"1\",\"serials\":[\"S1\"],\"reason\":\"r\"}", 400), ("{\"serials\":[\"S1\"],\"reason\":\"r\"}", 400),
        ]),
        ["GET /v1/alerts"] = new(Access.SignedIn, Queries: [("limit=abc", 400), ("limit=0", 400), ("limit=1001", 400), ("since=-1", 400), ("since=x", 400), ("limit=99999999999", 400)]),
        ["GET /v1/devices"] = new(Access.Role, Role: "auditor", WrongRole: "quality"),
        ["POST /v1/devices"] = new(Access.Role, Role: "admin", WrongRole: "auditor", Body: "{\"id\":\"x\",\"publicKey\":\"AAAA\",\"site\":\"1\",\"role\":\"king\"}", Bodies:
        [
            ("{\"id\":\"dev-9\",\"publicKey\":\"!!\",\"site\":\"9506000134383\",\"role\":\"pharmacy\"}", 400),
            ("{\"id\":\"" + new string('d', 500) + "\",\"publicKey\":\"" + Convert.ToBase64String(new byte[32]) + "\",\"site\":\"9506000134383\",\"role\":\"pharmacy\"}", 400),
            ("{\"id\":\"dev-9\",\"publicKey\":\"" + Convert.ToBase64String(new byte[32]) + "\",\"site\":\"9506000134383\",\"role\":\"pharmacy\",\"password\":\"short\"}", 400),
        ]),
        ["POST /v1/devices/{id}/revoke"] = new(Access.Role, Role: "admin", WrongRole: "quality", Body: "{\"reason\":\"lost\"}", Routes: [("no-such-device", 404), ("bad%20id!", 400), (new string('d', 200), 400)]),
        ["POST /v1/dispense"] = new(Access.Role, Role: "pharmacist", WrongRole: "quality", Body: "{\"code\":\"(01)09506000134352(21)NOPE\"}", Bodies:
        [
            ("{\"code\":\"not a code\"}", 400), ("{\"code\":\"\"}", 400), ("{\"code\":\"" + new string('9', 100_000) + "\"}", 400), ("{}", 400),
        ]),
        ["POST /v1/dispense/undo"] = new(Access.Role, Role: "pharmacist", WrongRole: "warehouse", Body: "{\"code\":\"(01)09506000134352(21)NOPE\"}", Bodies:
        [
            ("{\"code\":\"(01)12345(21)S1\"}", 400), ("{\"code\":null}", 400),
        ]),
        ["GET /v1/coldchain/locations"] = new(Access.SignedIn),
        ["GET /v1/coldchain/excursions"] = new(Access.SignedIn, Queries:
        [
            ("from=x", 400), ("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", 400), ("from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", 400),
            ("limit=0", 400), ("limit=abc", 400), ("place=nowhere", 400), ("limit=99999999999", 400),
        ]),
        ["GET /v1/coldchain/series"] = new(Access.SignedIn, Queries:
        [
            ("", 400), ("place=nowhere", 400), ("place=https://id.gs1.org/414/9506000134383&from=x", 400),
            ("place=https://id.gs1.org/414/9506000134383&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", 400),
        ]),
        ["GET /v1/devices/activity"] = new(Access.Role, Role: "auditor", WrongRole: "pharmacist"),
        ["GET /v1/log/audit"] = new(Access.Open),
        ["POST /v1/log/audit"] = new(Access.Role, Role: "auditor", WrongRole: "warehouse"),
        ["GET /v1/log/consistency"] = new(Access.Open, Queries: [("", 400), ("from=x&to=1", 400), ("from=2&to=1", 400), ("from=0&to=99999999", 400), ("from=-1&to=1", 400)]),
        ["GET /v1/epcis/events"] = new(Access.SignedIn, Queries: [("perPage=0", 400), ("perPage=x", 400), ("colour=blue", 400), ("GE_eventTime=x", 400), ("nextPageToken=%%%", 400), ("MATCH_epc=urn:epc:id:sgtin:1.2.3", 400)]),
        ["GET /v1/epcis/export"] = new(Access.SignedIn, Queries: [("perPage=10", 400), ("EQ_action=JUMP", 400), ("GT_maxValue_CEL=hot", 400)]),
    };

    private enum Access
    {
        Open,
        SignedIn,
        Role,
    }

    [Fact]
    public async Task EveryV1Endpoint_BadInput_ProblemDetails4xxNever5xx()
    {
        await using var hub = await RunningHub.StartAsync();
        await hub.AppendAndIntegrateAsync(["{\"decision\":\"note\"}"]);
        var users = new[] { "quality", "admin", "auditor", "warehouse", "pharmacist" }.ToDictionary(role => role, role => ApiUser.Add(hub, "u-" + role, role));
        using var anonymous = new HttpClient { BaseAddress = hub.Http.BaseAddress };
        using var unknownToken = ApiUser.WithToken(hub, "x", "ct_" + new string('A', 43));
        using var garbageToken = ApiUser.WithToken(hub, "x", "garbage");
        var failures = new List<string>();
        var probes = 0;

        var mapped = Endpoints(hub);
        failures.AddRange(mapped.Keys.Except(Table.Keys).Select(key => $"{key}: no row in BadInputTests.Table; add one"));
        failures.AddRange(Table.Keys.Except(mapped.Keys).Select(key => $"{key}: a row for an endpoint the hub does not map"));

        foreach (var (key, pattern) in mapped.Where(m => Table.ContainsKey(m.Key)))
        {
            var row = Table[key];
            var method = new HttpMethod(key[..key.IndexOf(' ', StringComparison.Ordinal)]);
            var path = Fill(pattern, null);
            var user = row.Access == Access.Open ? anonymous : users[row.Role ?? "pharmacist"].Http;

            async Task ProbeAsync(string what, HttpClient client, string uri, HttpContent? content, int expected)
            {
                probes++;
                using var request = new HttpRequestMessage(method, uri) { Content = content };
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (status >= 500)
                {
                    failures.Add($"{key} {what}: {status} {await response.Content.ReadAsStringAsync()}");
                }
                else if (expected != 0 && status != expected)
                {
                    failures.Add($"{key} {what}: {status}, expected {expected}: {await response.Content.ReadAsStringAsync()}");
                }
                else if (status >= 400 && mediaType != "application/problem+json")
                {
                    failures.Add($"{key} {what}: {status} as {mediaType}, not application/problem+json");
                }
            }

            HttpContent? Good() => row.Body is null ? null : Json(row.Body);

            // Who is asking.
            var protectedStatus = row.Access == Access.Open ? 0 : 401;
            await ProbeAsync("no token", anonymous, path, Good(), protectedStatus);
            await ProbeAsync("unknown token", unknownToken.Http, path, Good(), protectedStatus);
            await ProbeAsync("garbage token", garbageToken.Http, path, Good(), protectedStatus);
            if (row.WrongRole is { } wrongRole)
            {
                await ProbeAsync($"role {wrongRole}", users[wrongRole].Http, path, Good(), 403);
            }

            // What the body says.
            if (row.Body is not null)
            {
                await ProbeAsync("garbage JSON", user, path, Json("{not json"), 400);
                await ProbeAsync("JSON array", user, path, Json("[1,2,3]"), 400);
                await ProbeAsync("wrong JSON types", user, path, Json(WrongTypes), 400);
                await ProbeAsync("deep JSON", user, path, Json(new string('[', 5000) + new string(']', 5000)), 400);
                await ProbeAsync("JSON null", user, path, Json("null"), 0);
                await ProbeAsync("empty JSON body", user, path, Json(string.Empty), 0);
                await ProbeAsync("no body", user, path, null, 0);
                await ProbeAsync("text/plain", user, path, new StringContent("scan", Encoding.UTF8, "text/plain"), 415);
                await ProbeAsync("form", user, path, new FormUrlEncodedContent([KeyValuePair.Create("scan", "x")]), 415);
                await ProbeAsync("oversized", user, path, Json(Oversized()), 413);
                await ProbeAsync("oversized chunked", user, path, Chunked(Oversized()), 413);
            }

            foreach (var (body, status) in row.Bodies ?? [])
            {
                await ProbeAsync($"body {body[..Math.Min(body.Length, 60)]}", user, path, Json(body), status);
            }

            // Ids in the route and values in the query.
            foreach (var (value, status) in row.Routes ?? [])
            {
                await ProbeAsync($"route {value}", user, Fill(pattern, value), Good(), status);
            }

            foreach (var (query, status) in row.Queries ?? [])
            {
                await ProbeAsync($"query '{query}'", user, path + "?" + query, Good(), status);
            }
        }

        output.WriteLine($"{mapped.Count} endpoints, {probes} probes");
        foreach (var user in users.Values)
        {
            user.Dispose();
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task UnmappedV1Path_404ProblemDetails()
    {
        await using var hub = await RunningHub.StartAsync();

        using var missing = await hub.Http.GetAsync("/v1/nothing-here");
        using var wrongMethod = await hub.Http.DeleteAsync("/v1/verify");

        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (missing.StatusCode, missing.Content.Headers.ContentType?.MediaType));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "application/problem+json"), (wrongMethod.StatusCode, wrongMethod.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task Verify_WrongJsonType_DetailNamesTheMemberNotOurTypes()
    {
        await using var hub = await RunningHub.StartAsync();

        using var response = await hub.Http.PostAsync("/v1/verify", Json("{\"scan\": 42}"));
        var detail = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Wrong JSON at $.scan", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("SupplyChain.", detail, StringComparison.Ordinal);
    }

    // A member of each request record with a value of the wrong JSON type.
    private const string WrongTypes = "{\"scan\":5,\"site\":[],\"scope\":\"lot\",\"reason\":7,\"id\":1,\"publicKey\":2,\"gtin\":3,\"serials\":\"S1\",\"packs\":4}";

    private static string Oversized() => "{\"reason\":\"" + new string('x', 1024 * 1024) + "\"}";

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static StreamContent Chunked(string text)
    {
        // No Content-Length: HttpClient sends it chunked.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static Dictionary<string, string> Endpoints(RunningHub hub) =>
        hub.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(method =>
                (Key: $"{method} {e.RoutePattern.RawText!.TrimEnd('/')}", Pattern: e.RoutePattern.RawText!.TrimEnd('/'))))
            .ToDictionary(e => e.Key, e => e.Pattern);

    // Route values: the probe's value for the first one (the rest of a multi-value probe fills the next), else harmless ones.
    private static string Fill(string pattern, string? probe)
    {
        var values = new Queue<string>(probe?.Split('/') ?? []);
        return string.Join('/', pattern.Split('/').Select(segment =>
            segment.StartsWith('{') ? (values.Count > 0 ? values.Dequeue() : Harmless(segment)) : segment));
    }

    private static string Harmless(string segment) => segment switch
    {
        "{gtin}" => "09506000134352",
        "{serial}" => "S1",
        "{index}" => "0",
        "{id}" => Unknown,
        _ => "x",
    };

    private sealed record Row(
        Access Access,
        string? Role = null,
        string? WrongRole = null,
        string? Body = null,
        (string Value, int Status)[]? Routes = null,
        (string Query, int Status)[]? Queries = null,
        (string Body, int Status)[]? Bodies = null);
}
