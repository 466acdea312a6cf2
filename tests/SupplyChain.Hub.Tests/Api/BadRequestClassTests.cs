using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Api;

/// <summary>
/// HTTP classes of issue #7 item 7 beside <see cref="BadInputTests"/>: scans with control characters, ambiguous data
/// or bad check digits at <c>POST /v1/verify</c> (400 naming the GS1 reason code, nothing logged), and path traversal
/// sent raw (not normalised by a client) at every route that serves files or paths: the static files of wwwroot and
/// the tlog tiles.
/// </summary>
public sealed class BadRequestClassTests(BadRequestClassTests.HubFixture fixture) : IClassFixture<BadRequestClassTests.HubFixture>
{
    private RunningHub Hub => fixture.Hub;

    [Theory]
    [InlineData("(01)09506000134352(21)S\u00071", "Bad scan", "BadCharacter:")]
    [InlineData("(01)09506000134352(21)S\u007f1", "Bad scan", "BadCharacter:")]
    [InlineData("]d2010950600013435221S1\u0000", "Bad scan", "BadCharacter:")]
    [InlineData("\u001b[31m(01)09506000134352(21)S1", "Bad scan", "NotGs1Data:")]
    [InlineData("https://id.gs1.org/01/09506000134352/21/S%071", "Bad scan", "BadCharacter:")]
    [InlineData("(01)09506000134352(21)S 1", "Bad scan", "BadCharacter:")]
    [InlineData("010950600013435221A\u001d21B", "Bad scan", "DuplicateAi:")]
    [InlineData("(01)09506000134352(21)S1(01)09506000134369", "Bad scan", "DuplicateAi:")]
    [InlineData("(01)09506000134352(21)S1(10)L1(10)L2", "Bad scan", "DuplicateAi:")]
    [InlineData("09506000134352", "Bad scan", "UnknownAi:")]
    [InlineData("0109506000134352", "Not a serialized pack", "The scan must carry")]
    [InlineData("(01)09506000134353(21)S1", "Bad scan", "BadCheckDigit:")]
    [InlineData("(01)9506000134352(21)S1", "Bad scan", "FieldTooShort:")]
    public async Task Verify_ControlCharactersAmbiguousDataOrBadCheckDigit_400NamingTheReasonNothingLogged(string scan, string title, string detail)
    {
        var hub = Hub;
        var before = hub.Service<ILogStore>().ReadState().SequencedSize;

        using var response = await hub.Http.PostAsJsonAsync("/v1/verify", new { scan });
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        Assert.StartsWith(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, hub.Service<ILogStore>().ReadState().SequencedSize);
    }

    /// <summary>Paths that would leave wwwroot or the tile space, plain and percent-encoded, sent byte for byte.</summary>
    [Theory]
    [InlineData("/css/../../appsettings.json")]
    [InlineData("/css/..%2f..%2fappsettings.json")]
    [InlineData("/css/%2e%2e/%2e%2e/appsettings.json")]
    [InlineData("/css/%2e%2e%2f%2e%2e%2fcoldtrace-hub.dll")]
    [InlineData("/css/..%5c..%5cappsettings.json")]
    [InlineData("/..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/css/%252e%252e%252fappsettings.json")]
    [InlineData("/css/site.css%00.json")]
    [InlineData("/tile/../../users.db")]
    [InlineData("/tile/..%2f..%2fusers.db")]
    [InlineData("/tile/0/%2e%2e/%2e%2e/log.db")]
    [InlineData("/tile/entries/..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/tile/0/000/../../../hub.key")]
    [InlineData("/v1/recalls/..%2f..%2fusers.db/packs.csv")]
    public async Task FileBackedRoutes_PathTraversal_RefusedWithoutAnyFile(string path)
    {
        var (status, body) = await RawGetAsync(Hub, path);

        Assert.True(status is 400 or 401 or 404, $"{path}: {status}\n{body}");
        Assert.DoesNotContain("LiteDB", body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:x:0:0", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Logging\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaticFile_Genuine_ServedSoTheTraversalProbesCanFail()
    {
        var (status, body) = await RawGetAsync(Hub, "/css/site.css");

        Assert.Equal(200, status);
        Assert.Contains("{", body, StringComparison.Ordinal);
    }

    /// <summary>A GET with the path exactly as given (HttpClient would remove dot segments first), over HTTP/1.1.</summary>
    private static async Task<(int Status, string Body)> RawGetAsync(RunningHub hub, string path)
    {
        var address = hub.Http.BaseAddress!;
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }

    /// <summary>One hub for the class (with one entry logged, so tile 0 exists): the probes change nothing.</summary>
    public sealed class HubFixture : IAsyncLifetime
    {
        private RunningHub? _hub;

        internal RunningHub Hub => _hub!;

        public async Task InitializeAsync()
        {
            _hub = await RunningHub.StartAsync(null, "--Web:VerifyPerMinute=10000");
            await _hub.AppendAndIntegrateAsync(["{\"decision\":\"note\"}"]);
        }

        public async Task DisposeAsync() => await _hub!.DisposeAsync();
    }
}
