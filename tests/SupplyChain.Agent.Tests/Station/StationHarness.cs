using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Scanners;
using SupplyChain.Agent.Station;
using SupplyChain.Agent.Tests.Outbox;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Agent.Tests.Station;

/// <summary>Known-good GS1 data (check digits per GenSpecs §7.9) and a workflow over a real outbox file.</summary>
internal sealed class StationHarness : IDisposable
{
    public const string SiteGln = "9506000134383";
    public const string DestinationGln = "9506000134376";
    public const string Gtin = "09506000134352";
    public const string Sscc = "106141411234567897";
    public const string Gs = "\u001D";

    public StationHarness(string role, OutboxOptions? outboxOptions = null)
        : this(role, [], null, outboxOptions)
    {
    }

    /// <summary>A station serving several roles (<c>Station:Roles</c>), the first being its start mode.</summary>
    public StationHarness(IReadOnlyList<string> roles, IReadOnlyDictionary<string, string>? modeCodes = null)
        : this(string.Empty, roles, modeCodes, null)
    {
    }

    private StationHarness(string role, IReadOnlyList<string> roles, IReadOnlyDictionary<string, string>? modeCodes, OutboxOptions? outboxOptions)
    {
        Fixture = new OutboxFixture(outboxOptions);
        Options = new StationOptions
        {
            Role = role,
            SiteGln = SiteGln,
            DeviceId = "dock-7",
            DataDirectory = Fixture.DirectoryPath,
            EndCode = "END",
            BatchIdleTimeout = TimeSpan.FromMinutes(2),
        };
        foreach (var name in roles)
        {
            Options.Roles.Add(name);
        }

        foreach (var (name, code) in modeCodes ?? new Dictionary<string, string>())
        {
            Options.ModeCodes[name] = code;
        }

        Workflow = new StationWorkflow(Options, Fixture.Outbox, Fixture.Time, NullLogger<StationWorkflow>.Instance);
    }

    public OutboxFixture Fixture { get; }

    public StationOptions Options { get; }

    public StationWorkflow Workflow { get; }

    public static string Pack(string serial, string lot = "L1", string expiry = "271231") => $"01{Gtin}17{expiry}10{lot}{Gs}21{serial}";

    public static string PackUri(string serial) => $"https://id.gs1.org/01/{Gtin}/21/{serial}";

    public IReadOnlyList<CustodyEvent> Events() =>
        [.. Fixture.Outbox.TakePending(100, OutboxKinds.All).Select(e => Decode(e, Fixture.Identity.Signer.PublicKey))];

    public static CustodyEvent Decode(OutboxEntry entry, NSec.Cryptography.PublicKey key)
    {
        Assert.True(EnvelopeCodec.TryDecode(entry.Envelope.Span, out var envelope, out var envelopeError), envelopeError.ToString());
        Assert.True(EnvelopeVerifier.Verify(envelope!, key));
        Assert.True(EventCodec.TryDecode(envelope!.Payload.Span, out var decoded, out var error), error.ToString());
        return decoded!;
    }

    public void Dispose() => Fixture.Dispose();
}

/// <summary>Scans handed out in order, then the source stays open like an idle scanner.</summary>
internal sealed class ScriptedScanSource(params string[] scans) : IScanSource
{
    public async IAsyncEnumerable<string> ReadScansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var scan in scans)
        {
            yield return scan;
        }

        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}

/// <summary>Scans the test hands in one at a time, while the service runs.</summary>
internal sealed class ChannelScanSource : IScanSource
{
    private readonly System.Threading.Channels.Channel<string> _scans = System.Threading.Channels.Channel.CreateUnbounded<string>();

    public void Scan(string scan) => Assert.True(_scans.Writer.TryWrite(scan));

    public IAsyncEnumerable<string> ReadScansAsync(CancellationToken cancellationToken) => _scans.Reader.ReadAllAsync(cancellationToken);
}

/// <summary>Remembers every signal shown, in order.</summary>
internal sealed class RecordingFeedback : IFeedback
{
    private readonly ConcurrentQueue<Signal> _signals = new();

    public IReadOnlyList<Signal> Signals => [.. _signals];

    public ValueTask ShowAsync(Signal signal, CancellationToken cancellationToken)
    {
        _signals.Enqueue(signal);
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits (real time, bounded) until <paramref name="count"/> signals were shown.</summary>
    public async Task WaitForAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_signals.Count < count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}

internal static class StationServiceFactory
{
    public static StationService Create(StationHarness harness, IScanSource source, IFeedback feedback) =>
        new(source, harness.Workflow, feedback, Microsoft.Extensions.Options.Options.Create(harness.Options), harness.Fixture.Time, NullLogger<StationService>.Instance);
}
