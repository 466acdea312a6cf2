using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace SupplyChain.IntegrationTests.Scenario;

/// <summary>
/// The real hub as a child process (<c>coldtrace-hub</c>): devices enrolled with its <c>devices enroll</c> command while
/// it is stopped, as an operator does, then started on a temporary data directory with loopback HTTP and broker ports.
/// The test talks to it only over HTTP and reads its log key from the start-up banner.
/// </summary>
internal sealed class ScenarioHub : IAsyncDisposable
{
    private const string KeyBanner = "Log verifier key: ";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _dll = ChildProcess.ProjectDll("hub", "coldtrace-hub");
    private Process? _process;
    private HttpClient? _http;
    private string[] _started = [];
    private ScenarioBroker? _broker;

    private ScenarioHub(string dataDirectory, string? postgres)
    {
        DataDirectory = dataDirectory;
        Postgres = postgres;
    }

    public string DataDirectory { get; }

    /// <summary>The log's note verifier key as the hub printed it at start.</summary>
    public string VerifierKey { get; private set; } = string.Empty;

    public string Output => string.Join('\n', _output);

    private HttpClient Http => _http ?? throw new InvalidOperationException("The hub is not started.");

    /// <summary>The hub's PostgreSQL connection string when it stores in PostgreSQL, else null (LiteDB in the data directory).</summary>
    public string? Postgres { get; }

    /// <summary>Tool arguments that point a command at the hub's database (nothing for LiteDB: <c>--data</c> is enough).</summary>
    private string[] StorageTool => Postgres is null ? [] : ["--postgres", Postgres];

    public static ScenarioHub Create(string? postgres = null) => new(Directory.CreateTempSubdirectory("coldtrace-scenario-hub-").FullName, postgres);

    /// <summary>Copies <paramref name="first"/>'s hub key: several instances on one database sign with one key.</summary>
    public void ShareKeyOf(ScenarioHub first)
    {
        var target = Path.Combine(DataDirectory, SupplyChain.Hub.Log.HubSigningKey.FileName);
        File.Copy(Path.Combine(first.DataDirectory, SupplyChain.Hub.Log.HubSigningKey.FileName), target, overwrite: true);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary><c>coldtrace-hub devices enroll</c> for one station (the hub must be stopped).</summary>
    public async Task EnrolAsync(ScenarioAgent agent)
    {
        using var enrol = ChildProcess.StartDotnet(
            _dll,
            [
                "devices", "enroll",
                "--data", DataDirectory,
                "--id", agent.DeviceId,
                "--key", agent.PublicKeyBase64,
                "--site", agent.Site,
                "--role", agent.HubRole,
                "--password", agent.Password,
                "--actor", "scenario-test",
                .. StorageTool,
            ]);
        var stdout = enrol.StandardOutput.ReadToEndAsync();
        var stderr = enrol.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await enrol.WaitForExitAsync(timeout.Token);
        Assert.True(enrol.ExitCode == 0, $"devices enroll {agent.DeviceId} failed: {await stdout}{await stderr}");
        Assert.Contains($"enrolled {agent.DeviceId}", await stdout, StringComparison.Ordinal);
    }

    /// <summary>Starts the hub and waits for its banner (HTTP address and log key).</summary>
    public async Task StartAsync(ScenarioBroker broker, IEnumerable<string> configuration)
    {
        _started = [.. configuration];
        _broker = broker;
        var httpPort = ScenarioBroker.FreePort();
        string[] arguments =
        [
            $"--urls=http://127.0.0.1:{httpPort}",
            $"--Hub:DataDirectory={DataDirectory}",
            "--Log:CheckpointPeriod=00:00:00.250",
            "--Logging:LogLevel:Default=Warning",
            .. broker.HubArguments,
            .. Postgres is null ? [] : (string[])["--Storage:Backend=Postgres", $"--Storage:ConnectionString={Postgres}"],
            .. configuration,
        ];
        var process = ChildProcess.StartDotnet(_dll, arguments);
        _process = process;
        var banner = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            _output.Enqueue(e.Data ?? string.Empty);
            if (e.Data is { } line && line.StartsWith(KeyBanner, StringComparison.Ordinal))
            {
                VerifierKey = line[KeyBanner.Length..].Trim();
                banner.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = await Task.WhenAny(banner.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(started == banner.Task, "the hub did not start: " + Output);
        Assert.Contains($"mqtt://{broker.Host}:{broker.Port}", Output, StringComparison.Ordinal);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Whether this hub said it won the integrator's lock (needs the lease's Information log, see its settings).</summary>
    public bool Integrates => _output.Any(line => line.Contains("now integrates the log", StringComparison.Ordinal));

    /// <summary>SIGKILL, keeping the data directory so the hub can start again where it was.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("The hub is not started.");
        _process = null;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        _http?.Dispose();
        _http = null;
        _output.Clear();
    }

    /// <summary>Starts the hub again with what it was first started with (after <see cref="KillAsync"/>).</summary>
    public Task RestartAsync() => StartAsync(_broker ?? throw new InvalidOperationException("never started"), _started);

    public void AssertRunning() => Assert.False(_process is null || _process.HasExited, "the hub exited: " + Output);

    /// <summary><c>GET /v1/packs/{gtin}/{serial}/verification?site=</c>.</summary>
    public async Task<VerificationJson> VerifyAsync(string gtin, string serial, string? site)
    {
        var query = site is null ? string.Empty : $"?site={site}";
        var answer = await Http.GetFromJsonAsync<VerificationJson>($"/v1/packs/{gtin}/{Uri.EscapeDataString(serial)}/verification{query}", Json);
        return answer ?? throw new InvalidOperationException("empty verification answer");
    }

    /// <summary><c>POST /v1/verify</c> with a raw scan, as a pharmacy's scanner delivered it.</summary>
    public async Task<VerificationJson> VerifyScanAsync(string scan, string? site)
    {
        using var response = await Http.PostAsJsonAsync("/v1/verify", new { scan, site }, Json);
        Assert.True(response.IsSuccessStatusCode, $"POST /v1/verify: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<VerificationJson>(Json) ?? throw new InvalidOperationException("empty verification answer");
    }

    /// <summary><c>coldtrace-hub users add</c> (the hub must be stopped); returns the bearer token it prints once.</summary>
    public async Task<string> AddUserAsync(string name, string role)
    {
        const string TokenLine = "API token (shown once, keep it secret): ";
        using var add = ChildProcess.StartDotnet(_dll, ["users", "add", "--data", DataDirectory, "--name", name, "--role", role, .. StorageTool]);
        var stdout = add.StandardOutput.ReadToEndAsync();
        var stderr = add.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await add.WaitForExitAsync(timeout.Token);
        Assert.True(add.ExitCode == 0, $"users add {name} failed: {await stdout}{await stderr}");
        var line = (await stdout).Split('\n').Single(l => l.StartsWith(TokenLine, StringComparison.Ordinal));
        return line[TokenLine.Length..].Trim();
    }

    /// <summary><c>POST /v1/recalls</c> as the quality person whose token is given.</summary>
    public async Task<RecallOpenedJson> OpenRecallAsync(string token, object scope, string reason)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/recalls") { Content = JsonContent.Create(new { scope, reason }, options: Json) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"POST /v1/recalls: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<RecallOpenedJson>(Json) ?? throw new InvalidOperationException("empty recall answer");
    }

    /// <summary><c>GET /v1/recalls/{id}</c>.</summary>
    public async Task<RecallJson> RecallAsync(string token, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/recalls/{id}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"GET /v1/recalls/{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<RecallJson>(Json) ?? throw new InvalidOperationException("empty recall");
    }

    /// <summary><c>GET /v1/log/entries/{index}</c>: the raw leaf the proofs are about.</summary>
    public async Task<EntryJson> EntryAsync(long index) =>
        await Http.GetFromJsonAsync<EntryJson>($"/v1/log/entries/{index}", Json) ?? throw new InvalidOperationException("empty entry");

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }
}
