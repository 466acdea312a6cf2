using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Storage;

/// <summary>
/// Everything a LiteDB hub keeps in its data directory, opened for <c>storage migrate</c>: the log (<c>log.db</c>), chain
/// heads (<c>chains.db</c>), devices (<c>devices.db</c>), users (<c>users.db</c>) and the hub key (<c>hub.key</c>). The
/// custody state, recalls, alerts and dispenses are not files: the hub rebuilds them from the log at every start. Holds
/// the device and user files' locks until disposed, so neither the hub nor a <c>devices</c>/<c>users</c> command can
/// write them while they are copied.
/// </summary>
internal sealed class LiteDbHubFiles : IDisposable
{
    public const string LogFileName = "log.db";

    private readonly List<IDisposable> _open;

    private LiteDbHubFiles(
        ILogStore log,
        HubSigningKey key,
        IReadOnlyList<DeviceRecord> devices,
        IReadOnlyList<UserRecord> users,
        IReadOnlyList<KeyValuePair<DeviceId, ChainHead>> heads,
        List<IDisposable> open)
    {
        Log = log;
        Key = key;
        Devices = devices;
        Users = users;
        ChainHeads = heads;
        _open = open;
    }

    public ILogStore Log { get; }

    public HubSigningKey Key { get; }

    /// <summary>The log's origin: the hub key's name, which <see cref="HubSigningKey"/> holds equal to <c>Log:Origin</c>.</summary>
    public string Origin => Key.Signer.Name;

    public IReadOnlyList<DeviceRecord> Devices { get; }

    public IReadOnlyList<UserRecord> Users { get; }

    public IReadOnlyList<KeyValuePair<DeviceId, ChainHead>> ChainHeads { get; }

    /// <summary>
    /// Opens the files of a stopped hub; null with a reason when there is no LiteDB hub in <paramref name="directory"/>,
    /// the hub still holds its files, or a file does not read. Never creates a file: a store whose file is missing is empty.
    /// </summary>
    public static LiteDbHubFiles? TryOpen(string directory, out string? reason)
    {
        var logPath = Path.Combine(directory, LogFileName);
        var keyPath = Path.Combine(directory, HubSigningKey.FileName);
        if (!File.Exists(logPath))
        {
            reason = $"no LiteDB hub in {directory}: {LogFileName} is missing";
            return null;
        }

        if (!File.Exists(keyPath))
        {
            reason = $"{keyPath} is missing: without the hub key the log's checkpoints cannot be verified";
            return null;
        }

        if (!NoteSigner.TryParse(File.ReadAllText(keyPath).Trim(), out var signer, out var why))
        {
            reason = $"the hub key in {keyPath} is unreadable: {why}";
            return null;
        }

        // The running hub holds log.db open for writing (a shared lock); an exclusive lock is refused while it does.
        try
        {
            using (new FileStream(logPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
            }
        }
        catch (IOException exception)
        {
            reason = $"{logPath} is in use ({exception.Message}); stop the hub first";
            return null;
        }

        var open = new List<IDisposable>();
        try
        {
            var key = HubSigningKey.LoadOrCreate(directory, signer!.Name);
            var log = Keep(open, new LiteDbLogStore(logPath));
            var devices = File.Exists(Path.Combine(directory, LiteDbDeviceRegistry.FileName))
                ? Keep(open, new LiteDbDeviceRegistry(Path.Combine(directory, LiteDbDeviceRegistry.FileName))).List()
                : [];
            var users = File.Exists(Path.Combine(directory, LiteDbUserStore.FileName))
                ? Keep(open, new LiteDbUserStore(Path.Combine(directory, LiteDbUserStore.FileName))).List()
                : [];
            var heads = File.Exists(Path.Combine(directory, LiteDbChainHeadStore.FileName))
                ? Keep(open, new LiteDbChainHeadStore(Path.Combine(directory, LiteDbChainHeadStore.FileName))).ReadAll()
                : [];

            // Reading the state and the newest checkpoint touches every collection's first pages: a damaged file fails here.
            log.ReadState();
            log.ReadLatestCheckpoint();
            reason = null;
            return new LiteDbHubFiles(log, key, devices, users, heads, open);
        }
        catch (IOException exception)
        {
            reason = $"a file in {directory} is in use or unreadable ({exception.Message}); stop the hub first";
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Broad on purpose, at the edge of a file we did not write in this process: LiteDB reports a damaged file
            // through many types (LiteException, ArgumentOutOfRangeException from a garbage header date, casts).
            reason = $"the LiteDB files in {directory} do not read ({exception.GetType().Name}: {exception.Message})";
        }

        foreach (var file in Enumerable.Reverse(open))
        {
            file.Dispose();
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var file in Enumerable.Reverse(_open))
        {
            file.Dispose();
        }
    }

    private static T Keep<T>(List<IDisposable> open, T store) where T : IDisposable
    {
        open.Add(store);
        return store;
    }
}
