using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SupplyChain.Hub;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;

namespace SupplyChain.IntegrationTests.Broker;

/// <summary>
/// A real Mosquitto set up as firmware-config/mosquitto says (devices enrolled with <c>devices enroll</c>, passwords
/// added with <c>mosquitto_passwd</c>, ACL and password file from <c>devices export-mosquitto</c>), and the real hub in
/// this process consuming from it with <c>Broker:Mode=External</c>.
/// </summary>
internal sealed class ExternalHub : IAsyncDisposable
{
    public const string HubPassword = "hub-pa55word-for-tests";

    private readonly string[] _arguments;
    private WebApplication? _app;

    private ExternalHub(string dataDirectory, Mosquitto broker, string[] arguments)
    {
        DataDirectory = dataDirectory;
        Broker = broker;
        _arguments = arguments;
    }

    public string DataDirectory { get; }

    public Mosquitto Broker { get; }

    public WebApplication App => _app ?? throw new InvalidOperationException("The hub is stopped.");

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Runs a hub command in this process; returns its exit code and output.</summary>
    public static async Task<(int Exit, string Output, string Error)> CommandAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await HubCommandLine.Build().Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <param name="devices">Enrolled and given a Mosquitto password.</param>
    /// <param name="extraAcl">Lines appended to the generated ACL (to open a hole the hub must still close).</param>
    /// <param name="beforeExport">Runs on the Mosquitto directory before the export (e.g. to add a stale user).</param>
    /// <param name="tls">Start Mosquitto's TLS listener too and connect the hub through it (<c>UseTls</c>, <c>CaFile</c>).</param>
    /// <param name="localAcl">Hand-written ACL blocks given to the export with <c>--local</c> (site bridges).</param>
    public static async Task<ExternalHub> StartAsync(BrokerDevice[] devices, string? extraAcl = null, Func<string, Task>? beforeExport = null, bool tls = false, string? localAcl = null)
    {
        var data = Directory.CreateTempSubdirectory("coldtrace-hub-").FullName;
        foreach (var device in devices)
        {
            var enrolled = await CommandAsync(["devices", .. device.EnrolArguments, "--data", data]);
            Assert.True(enrolled.Exit == 0, enrolled.Error);
        }

        return await StartOnAsync(data, [.. devices.Select(d => (d.Id, d.Password))], extraAcl, beforeExport, tls, localAcl);
    }

    /// <summary>
    /// As <see cref="StartAsync"/> for many devices (real agents): enrolled through the code behind <c>devices enroll</c>
    /// (<see cref="OfflineDevices"/>) opened once for all, as fifty runs of the command cost a minute on a loaded machine.
    /// </summary>
    public static async Task<ExternalHub> StartWithAsync(IReadOnlyList<EnrolRequest> devices)
    {
        var data = Directory.CreateTempSubdirectory("coldtrace-hub-").FullName;
        await using (var offline = await OfflineDevices.OpenAsync(data, new LogOptions().Origin, postgres: null, TimeProvider.System, CancellationToken.None))
        {
            foreach (var device in devices)
            {
                var enrolled = await offline.Enrolment.EnrollAsync(device, CancellationToken.None);
                Assert.True(enrolled.IsSuccess, enrolled.Error);
            }
        }

        return await StartOnAsync(data, [.. devices.Select(d => (d.Id, d.Password!))], extraAcl: null, beforeExport: null, tls: false, localAcl: null);
    }

    private static async Task<ExternalHub> StartOnAsync(
        string data, IReadOnlyList<(string Id, string Password)> devices, string? extraAcl, Func<string, Task>? beforeExport, bool tls, string? localAcl)
    {
        var directory = Mosquitto.NewDirectory();
        await Mosquitto.AddUserAsync(directory, EmbeddedBroker.HubClientId, HubPassword);
        foreach (var device in devices)
        {
            await Mosquitto.AddUserAsync(directory, device.Id, device.Password);
        }

        if (beforeExport is not null)
        {
            await beforeExport(directory);
        }

        string[] local = [];
        if (localAcl is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "acl.local"), localAcl);
            local = ["--local", Path.Combine(directory, "acl.local")];
        }

        var export = await CommandAsync(["devices", "export-mosquitto", "--data", data, "--acl", Path.Combine(directory, "acl"), "--passwords", Path.Combine(directory, "passwords"), .. local]);
        Assert.True(export.Exit == 0, export.Error);
        if (extraAcl is not null)
        {
            await File.AppendAllTextAsync(Path.Combine(directory, "acl"), "\n" + extraAcl + "\n");
        }

        if (tls)
        {
            TestCertificates.Write(directory);
        }

        var broker = await Mosquitto.StartAsync(directory);
        string[] connection = tls
            ? [$"--Broker:External:Port={broker.TlsPort}", "--Broker:External:UseTls=true", $"--Broker:External:CaFile={Path.Combine(directory, "ca.crt")}"]
            : [$"--Broker:External:Port={broker.Port}"];
        string[] arguments =
        [
            "--urls=http://127.0.0.1:0",
            $"--Hub:DataDirectory={data}",
            "--Log:CheckpointPeriod=00:00:00.050",
            "--Logging:LogLevel:Default=Warning",
            "--Broker:Mode=External",
            "--Broker:External:Host=127.0.0.1",
            .. connection,
            $"--Broker:External:Password={HubPassword}",
            "--Broker:External:BackoffInitial=00:00:00.100",
            "--Broker:External:BackoffMax=00:00:01",
        ];
        var hub = new ExternalHub(data, broker, arguments);
        await hub.StartHubAsync();
        return hub;
    }

    /// <summary>Starts the hub (again) on the same data directory and broker, and waits until it is connected.</summary>
    public async Task StartHubAsync()
    {
        Assert.Null(_app);
        var app = HubHost.Build(_arguments);
        await app.StartAsync();
        _app = app;
        await ConnectedAsync();
    }

    /// <summary>Stops the hub as an operator would; Mosquitto keeps its session and queues device messages for it.</summary>
    public async Task StopHubAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Waits until the hub is connected and subscribed to the broker.</summary>
    public async Task ConnectedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!Service<ExternalBroker>().IsConnected)
        {
            Assert.False(timeout.IsCancellationRequested, $"The hub did not connect to Mosquitto:\n{Broker.Log}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopHubAsync();
        await Broker.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
