using Microsoft.Extensions.Logging.Abstractions;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Log;

/// <summary>
/// The hub's real log services over a real store (a LiteDB file in a temporary directory unless the test gives another
/// store, e.g. PostgreSQL); the hub key lives in the directory; integration is driven by the test.
/// </summary>
internal sealed class LogHarness : IAsyncDisposable
{
    private LogHarness(string directory, LogOptions options, ILogStore? store)
    {
        Directory = directory;
        Options = options;
        Store = store ?? new LiteDbLogStore(Path.Combine(directory, "log.db"));
        Key = HubSigningKey.LoadOrCreate(directory, options.Origin);
        Head = new LogHead();
        Sequencer = new LogSequencer(Store, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<LogSequencer>.Instance);
        Integrator = new LogIntegrator(Store, Head, new IntegratorLease(null, TimeProvider.System, NullLogger<IntegratorLease>.Instance), Key, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<LogIntegrator>.Instance);
        Reader = new LogReader(Store, Head);
    }

    public string Directory { get; }

    public LogOptions Options { get; }

    public ILogStore Store { get; }

    public HubSigningKey Key { get; }

    public LogHead Head { get; }

    public LogSequencer Sequencer { get; }

    public LogIntegrator Integrator { get; }

    public LogReader Reader { get; }

    public static string NewDirectory() =>
        System.IO.Directory.CreateTempSubdirectory("coldtrace-log-").FullName;

    public static async Task<LogHarness> StartAsync(string? directory = null, LogOptions? options = null, ILogStore? store = null)
    {
        var harness = new LogHarness(directory ?? NewDirectory(), options ?? new LogOptions(), store);
        await new LogStartupCheck(harness.Store, harness.Head, harness.Key, Microsoft.Extensions.Options.Options.Create(harness.Options), NullLogger<LogStartupCheck>.Instance)
            .StartAsync(CancellationToken.None);
        await harness.Sequencer.StartAsync(CancellationToken.None);
        return harness;
    }

    public Task<SequenceResult> AppendAsync(string text) =>
        Sequencer.AppendAsync(LogLeafKind.HubDecision, System.Text.Encoding.UTF8.GetBytes(text), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Sequencer.StopAsync(CancellationToken.None);
        Sequencer.Dispose();
        Integrator.Dispose();
        Store.Dispose();
    }
}
