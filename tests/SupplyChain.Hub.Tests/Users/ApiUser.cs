using System.Net.Http.Headers;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Tests.Users;

/// <summary>A user added to a running hub (as <c>users add</c> would) and an HTTP client that sends their bearer token.</summary>
internal sealed class ApiUser : IDisposable
{
    private ApiUser(string name, string token, HttpClient http)
    {
        Name = name;
        Token = token;
        Http = http;
    }

    public string Name { get; }

    public string Token { get; }

    public HttpClient Http { get; }

    /// <summary>Adds a user; a pharmacist works at <see cref="Custody.ChainSites.PharmacyGln"/> unless <paramref name="site"/> says otherwise.</summary>
    public static ApiUser Add(RunningHub hub, string name, string role, string? site = null)
    {
        var result = hub.Service<UserAccounts>().Add(name, role, site ?? (role == "pharmacist" ? Custody.ChainSites.PharmacyGln : null));
        Assert.True(result.IsSuccess, result.Error);
        return WithToken(hub, name, result.Token!);
    }

    /// <summary>A client sending any <paramref name="token"/>, valid or not.</summary>
    public static ApiUser WithToken(RunningHub hub, string name, string token)
    {
        var http = new HttpClient { BaseAddress = hub.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiUser(name, token, http);
    }

    public void Dispose() => Http.Dispose();
}
