using System.CommandLine;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Tests.Users;

public sealed class UsersCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(string dataDirectory, params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await HubCommandLine.Build()
            .Parse(["users", .. arguments, "--data", dataDirectory])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static string NewDirectory() => Directory.CreateTempSubdirectory("coldtrace-users-").FullName;

    private static string TokenOf(string output) => output.Split(": ")[^1].Trim();

    [Fact]
    public async Task AddListRevoke_RoundTrip_TokenPrintedOnceAndOnlyItsHashStored()
    {
        var data = NewDirectory();

        var added = await RunAsync(data, "add", "--name", "anna", "--role", "quality");
        var listed = await RunAsync(data, "list");
        var revoked = await RunAsync(data, "revoke", "anna");
        var relisted = await RunAsync(data, "list");

        Assert.Equal(0, added.Exit);
        var token = TokenOf(added.Output);
        Assert.True(ApiToken.IsWellFormed(token), token);
        Assert.Contains("anna\tquality\tactive", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, revoked.Exit);
        Assert.Contains("anna\tquality\trevoked", relisted.Output, StringComparison.Ordinal);
        var file = await File.ReadAllBytesAsync(Path.Combine(data, LiteDbUserStore.FileName));
        Assert.Equal(-1, file.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(token)));
        Assert.NotEqual(-1, file.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(ApiToken.Hash(token))));
    }

    [Fact]
    public async Task Add_TokenWorksOnceTheHubRuns_AndRevokedTokenDoesNotAfterRestart()
    {
        var data = NewDirectory();
        var token = TokenOf((await RunAsync(data, "add", "--name", "anna", "--role", "auditor")).Output);

        await using (var hub = await RunningHub.StartAsync(data))
        {
            using var user = ApiUser.WithToken(hub, "anna", token);
            var me = await user.Http.GetStringAsync("/v1/me");
            Assert.Contains("\"name\":\"anna\"", me, StringComparison.Ordinal);
            Assert.Contains("\"role\":\"auditor\"", me, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await RunAsync(data, "revoke", "anna")).Exit);
        await using var restarted = await RunningHub.StartAsync(data);
        using var revoked = ApiUser.WithToken(restarted, "anna", token);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await revoked.Http.GetAsync("/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Add_WhileTheHubRuns_RefusedWithHint()
    {
        var data = NewDirectory();
        await using var hub = await RunningHub.StartAsync(data);

        var added = await RunAsync(data, "add", "--name", "anna", "--role", "quality");

        Assert.Equal(1, added.Exit);
        Assert.Contains("is the hub running? Stop it first.", added.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("anna", "chief", "bad role")]
    [InlineData("anna smith", "quality", "bad name")]
    public async Task Add_BadInput_RefusedWithReason(string name, string role, string reason)
    {
        var added = await RunAsync(NewDirectory(), "add", "--name", name, "--role", role);

        Assert.Equal(1, added.Exit);
        Assert.Contains(reason, added.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_SameNameTwiceOrRevokeUnknown_Refused()
    {
        var data = NewDirectory();
        await RunAsync(data, "add", "--name", "anna", "--role", "quality");

        var again = await RunAsync(data, "add", "--name", "anna", "--role", "admin");
        var unknown = await RunAsync(data, "revoke", "nobody");

        Assert.Equal((1, 1), (again.Exit, unknown.Exit));
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
        Assert.Contains("no user nobody", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_PharmacistWithSite_SiteStoredAndListed()
    {
        var data = NewDirectory();

        var added = await RunAsync(data, "add", "--name", "pia", "--role", "pharmacist", "--site", "9506000134383");
        var listed = await RunAsync(data, "list");

        Assert.Equal(0, added.Exit);
        Assert.Contains("added pia (pharmacist at 9506000134383)", added.Output, StringComparison.Ordinal);
        Assert.Matches(@"pia\tpharmacist\tactive\t[^\t]+\t-\t9506000134383", listed.Output);
        Assert.StartsWith("name\trole\tstatus\tcreated\trevoked\tsite", listed.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pharmacist", null, "a pharmacist needs --site")]
    [InlineData("pharmacist", "9506000134384", "bad site")]
    [InlineData("quality", "12", "bad site")]
    public async Task Add_PharmacistWithoutSiteOrBadGln_Refused(string role, string? site, string reason)
    {
        var data = NewDirectory();

        var added = await RunAsync(data, ["add", "--name", "pia", "--role", role, .. site is null ? Array.Empty<string>() : ["--site", site]]);

        Assert.Equal(1, added.Exit);
        Assert.Contains(reason, added.Error, StringComparison.Ordinal);
    }
}
