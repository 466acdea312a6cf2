using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Events;

namespace SupplyChain.Agent.Tests.Outbox;

/// <summary>A real outbox file in a temp directory with a real device key, reopenable like a restarted agent.</summary>
internal sealed class OutboxFixture : IDisposable
{
    public const string Site = "https://id.gs1.org/414/9506000134383";
    public const string Receiver = "https://id.gs1.org/414/9506000134376";
    public const string Asset = "https://id.gs1.org/8004/9506000134352FRIDGE1";

    private readonly TempDirectory _directory;

    /// <param name="options">Outbox options; the defaults when null.</param>
    /// <param name="parent">Where the store's directory is made (a small tmpfs for disk-full tests); the temp folder when null.</param>
    public OutboxFixture(OutboxOptions? options = null, string? parent = null)
    {
        _directory = new TempDirectory(parent);
        Options = options ?? new OutboxOptions();
        Identity = DeviceIdentity.LoadOrCreate(_directory.Path, "dock-7");
        Outbox = Open();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));

    public OutboxOptions Options { get; }

    public DeviceIdentity Identity { get; }

    public EventOutbox Outbox { get; private set; }

    public string DirectoryPath => _directory.Path;

    public string DatabasePath => _directory.File(EventOutbox.FileName);

    public bool ClockSynced { get; set; } = true;

    public EventOutbox Reopen()
    {
        Outbox.Dispose();
        Outbox = Open();
        return Outbox;
    }

    public void Close() => Outbox.Dispose();

    /// <summary>
    /// What a SIGKILL or power cut leaves: the outbox's files as they are now (every append and move is synced before it
    /// returns), put back after this process's outbox is closed, optionally damaged, then opened like a restarted agent.
    /// </summary>
    public EventOutbox Crash(Action<string>? damage = null)
    {
        var image = Directory.GetFiles(_directory.Path, "outbox*")
            .Where(f => System.IO.Path.GetFileName(f) != "outbox.lock")
            .ToDictionary(f => System.IO.Path.GetFileName(f)!, ReadShared);
        Outbox.Dispose();
        foreach (var file in Directory.GetFiles(_directory.Path, "outbox*").Where(f => System.IO.Path.GetFileName(f) != "outbox.lock"))
        {
            File.Delete(file);
        }

        foreach (var (name, bytes) in image)
        {
            File.WriteAllBytes(_directory.File(name), bytes);
        }

        damage?.Invoke(_directory.Path);
        Outbox = Open();
        return Outbox;
    }

    public string JournalPath => _directory.File(CustodyJournal.FileName);

    public AppendResult AppendShip(params string[] serials) =>
        Outbox.Append(stamp => CustodyEvents.Ship(Time.GetUtcNow(), stamp, Site, [.. serials.Select(Pack)], Receiver));

    public SensorAppendResult AppendReport(decimal celsius) =>
        Outbox.AppendSensor(SensorDraft.Report(Time.GetUtcNow(), Site, Asset, [new TemperatureSample(Time.GetUtcNow(), celsius)]));

    public SensorAppendResult AppendAlarm(decimal celsius) =>
        Outbox.AppendSensor(SensorDraft.Alarm(Time.GetUtcNow(), Site, Asset, new TemperatureSample(Time.GetUtcNow(), celsius), 2m, 8m));

    public static string Pack(string serial) => $"https://id.gs1.org/01/09506000134352/21/{serial}";

    public void Dispose()
    {
        Outbox.Dispose();
        Identity.Dispose();
        _directory.Dispose();
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private EventOutbox Open() =>
        EventOutbox.Open(_directory.Path, Identity, "boot-1", () => ClockSynced, Options, Time, NullLogger<EventOutbox>.Instance);
}
