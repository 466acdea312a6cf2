using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace SupplyChain.Hub.Tests.Api;

/// <summary>The served OpenAPI document describes every mapped <c>/v1</c> endpoint: method, route parameters, body, answers and auth.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task OpenApi_EveryV1Endpoint_DescribedWithMethodParametersBodyAndAuth()
    {
        await using var hub = await RunningHub.StartAsync();

        var document = await hub.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString()));
        var paths = document.GetProperty("paths");
        var endpoints = hub.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} endpoints");
        foreach (var endpoint in endpoints)
        {
            var path = endpoint.RoutePattern.RawText!.TrimEnd('/');
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is not in the document");
                var what = $"{method} {path}";
                var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList() : [];
                foreach (var routeParameter in endpoint.RoutePattern.Parameters)
                {
                    Assert.Contains(routeParameter.Name, parameters);
                }

                Assert.True(operation.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{what} has no success answer");
                var needsUser = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0;
                Assert.True(needsUser == operation.TryGetProperty("security", out var security), $"{what}: security {(needsUser ? "missing" : "on an open endpoint")}");
                if (needsUser)
                {
                    Assert.True(security[0].TryGetProperty("Bearer", out _), $"{what}: not the Bearer scheme");
                    Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{what}: no 401");
                }

                // Every POST reads a JSON body but POST /v1/log/audit, which starts an audit.
                if (method == "POST" && path != "/v1/log/audit")
                {
                    Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), $"{what}: no JSON body");
                    Assert.True(operation.GetProperty("responses").TryGetProperty("413", out _), $"{what}: no 413");
                }
            }
        }

        var events = paths.GetProperty("/v1/epcis/events").GetProperty("get");
        var names = events.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "EQ_bizStep", "MATCH_epc", "GT_maxValue_CEL", "perPage", "nextPageToken" }, names.ToHashSet());
        var verify = paths.GetProperty("/v1/verify").GetProperty("post");
        Assert.True(verify.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
    }
}
