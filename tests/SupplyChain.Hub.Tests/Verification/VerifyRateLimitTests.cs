using System.Net;
using System.Net.Http.Json;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Verification;

/// <summary>The verification rate limit (docs/API.md "Rate limits") on <c>POST /v1/verify</c>.</summary>
public sealed class VerifyRateLimitTests
{
    private const string Gtin = ChainDevice.Gtin;

    [Fact]
    public async Task Verify_OverTheRateLimit_429ProblemWithRetryAfter()
    {
        await using var hub = await RunningHub.StartAsync(null, "--Web:VerifyPerMinute=2");
        using var pia = ApiUser.Add(hub, "pia", "pharmacist");
        var scan = new { scan = $"(01){Gtin}(21)S1" };

        var first = await pia.Http.PostAsJsonAsync("/v1/verify", scan);
        var second = await pia.Http.PostAsJsonAsync("/v1/verify", scan);
        var third = await pia.Http.PostAsJsonAsync("/v1/verify", scan);
        var anonymous = await hub.Http.PostAsJsonAsync("/v1/verify", scan);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.InRange(third.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        // Counted per user: an anonymous caller from the same address has its own allowance.
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }
}
