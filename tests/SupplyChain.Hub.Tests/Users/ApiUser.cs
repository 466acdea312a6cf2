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

    public static ApiUser Add(RunningHub hub, string name, string role)
    {
        var result = hub.Service<UserAccounts>().Add(name, role);
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
