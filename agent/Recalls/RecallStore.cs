using System.Text;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Recalls;

/// <summary>What became of one recall-list message.</summary>
internal enum RecallUpdateKind
{
    /// <summary>Verified, for this site, newer than the list held: now the list in force (and on disk).</summary>
    Applied,

    /// <summary>Verified, same version as the list held (the broker's retained copy on every reconnect): nothing changes.</summary>
    Unchanged,

    /// <summary>Verified but older than the list held: ignored, so a replayed old list cannot lift a recall.</summary>
    Older,

    /// <summary>Not a list this station can trust: bad signature, another site, malformed, empty.</summary>
    Refused,
}

/// <summary>The outcome of <see cref="RecallStore.Offer"/>: the kind, the version the message carried (if readable), and why it was not applied.</summary>
internal readonly record struct RecallUpdate(RecallUpdateKind Kind, long? Version, string? Reason);

/// <summary>The recall check's state for status and metrics.</summary>
internal sealed record RecallStatus(
    bool Enabled,
    long? Version,
    DateTimeOffset? BuiltAt,
    int Packs,
    long Applied,
    long Older,
    long Refused,
    string? LastRefusal);

/// <summary>
/// The site's recall list as last verified (PROTOCOL.md §5.6): checks the hub's signature and the site, keeps the highest
/// version, ignores older ones and refuses forgeries (counted and logged with the reason), and keeps the verified note
/// on disk so a station restarted while the hub is unreachable still refuses recalled packs. Messages arrive on the
/// delivery connection's thread while scans are judged on the station's: the list in force is swapped whole.
/// </summary>
internal sealed partial class RecallStore : IRecallCheck
{
    /// <summary>The verified note as received, in the station's data directory.</summary>
    public const string FileName = "recalls.note";

    /// <summary>A list of about 40 bytes a pack: far more packs than a site ever holds under recall.</summary>
    public const int MaxNoteBytes = 4 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Gln _site;
    private readonly NoteVerifier? _hubKey;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private InForce? _inForce;
    private long _applied;
    private long _older;
    private long _refused;
    private string? _lastRefusal;

    private RecallStore(Gln site, NoteVerifier? hubKey, string directory, ILogger<RecallStore> logger)
    {
        _site = site;
        _hubKey = hubKey;
        _path = Path.Combine(directory, FileName);
        _logger = logger;
    }

    /// <summary>Whether a hub key is configured; without one no list is ever trusted and the check lets every pack pass.</summary>
    public bool IsEnabled => _hubKey is not null;

    /// <summary>The list in force, or null before the first verified list.</summary>
    public RecallList? Current => Volatile.Read(ref _inForce)?.List;

    /// <summary>Creates the store for <paramref name="site"/> and loads the list kept in <paramref name="directory"/>, re-verifying it.</summary>
    public static RecallStore Open(Gln site, NoteVerifier? hubKey, string directory, ILogger<RecallStore> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var store = new RecallStore(site, hubKey, directory, logger);
        if (hubKey is null)
        {
            LogDisabled(logger);
        }
        else if (File.Exists(store._path))
        {
            // Checked like a message: a file from another hub key or another site, or edited on disk, is not trusted.
            var update = store.Accept(File.ReadAllBytes(store._path), persist: false);
            if (update.Kind == RecallUpdateKind.Applied)
            {
                LogLoaded(logger, update.Version ?? 0, store.Current!.Packs.Count);
            }
        }

        return store;
    }

    /// <summary>A recall-list message from the broker (retained or new). Never throws for bad input.</summary>
    public RecallUpdate Offer(ReadOnlySpan<byte> payload) => Accept(payload, persist: true);

    public string? RefusalFor(Gs1Scan scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (scan.Gtin is not { } gtin || scan.Serial is not { } serial || Volatile.Read(ref _inForce) is not { } inForce)
        {
            return null;
        }

        return inForce.Recalls.TryGetValue(new PackKey(gtin, serial), out var recallId) ? $"recalled ({recallId})" : null;
    }

    public RecallStatus Status()
    {
        lock (_gate)
        {
            var list = _inForce?.List;
            return new RecallStatus(IsEnabled, list?.Version, list?.Time, list?.Packs.Count ?? 0, _applied, _older, _refused, _lastRefusal);
        }
    }

    private RecallUpdate Accept(ReadOnlySpan<byte> payload, bool persist)
    {
        if (_hubKey is null)
        {
            // The check is off (said once at start); a list that cannot be verified is not an incident to count.
            return new RecallUpdate(RecallUpdateKind.Refused, null, "no hub key configured (Delivery:HubKey)");
        }

        lock (_gate)
        {
            if (!TryVerify(_hubKey, payload, out var list, out var reason))
            {
                _refused++;
                _lastRefusal = reason;
                LogRefused(_logger, persist ? "message" : _path, reason);
                return new RecallUpdate(RecallUpdateKind.Refused, list?.Version, reason);
            }

            var held = _inForce?.List;
            if (held is not null && list.Version < held.Version)
            {
                _older++;
                LogOlder(_logger, list.Version, held.Version);
                return new RecallUpdate(RecallUpdateKind.Older, list.Version, $"version {list.Version} is older than the list held ({held.Version})");
            }

            if (held is not null && list.Version == held.Version)
            {
                return new RecallUpdate(RecallUpdateKind.Unchanged, list.Version, null);
            }

            if (persist)
            {
                Persist(payload);
            }

            Volatile.Write(ref _inForce, new InForce(list, list.Packs.ToDictionary(p => p.Pack, p => p.RecallId)));
            _applied++;
            if (persist)
            {
                LogApplied(_logger, list.Version, list.Packs.Count);
            }

            return new RecallUpdate(RecallUpdateKind.Applied, list.Version, null);
        }
    }

    private bool TryVerify(NoteVerifier hubKey, ReadOnlySpan<byte> payload, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RecallList? list, out string reason)
    {
        list = null;
        if (payload.IsEmpty)
        {
            // An empty retained message is how a broker clears a topic; it is not a list, so the last verified one stays.
            reason = "empty message (the retained list was cleared at the broker)";
            return false;
        }

        if (payload.Length > MaxNoteBytes)
        {
            reason = $"{payload.Length} bytes is over the {MaxNoteBytes}-byte limit";
            return false;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            reason = "not UTF-8";
            return false;
        }

        if (!RecallList.TryOpen(text, hubKey, out list, out var why))
        {
            reason = why ?? "not a recall list";
            return false;
        }

        if (list!.Site != _site)
        {
            reason = $"the list is for site {list.Site.Value}, this station is at {_site.Value}";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    // Temp file, fsync, rename: a crash leaves the old list or the new one, never half of one. The directory is not
    // fsynced; after a power cut the worst case is the previous verified list, and the broker's retained copy follows.
    private void Persist(ReadOnlySpan<byte> payload)
    {
        var temporary = _path + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(payload);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The list still holds in memory; only a restart before the next good write would lose it.
            LogPersistFailed(_logger, _path, e.Message);
        }
    }

    private sealed record InForce(RecallList List, Dictionary<PackKey, string> Recalls);

    [LoggerMessage(Level = LogLevel.Information, Message = "No Delivery:HubKey configured: the offline recall check is off")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recall list version {Version} loaded from disk ({Packs} recalled pack(s))")]
    private static partial void LogLoaded(ILogger logger, long version, int packs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recall list version {Version} verified and in force ({Packs} recalled pack(s))")]
    private static partial void LogApplied(ILogger logger, long version, int packs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recall list version {Version} ignored: older than the list held ({Held})")]
    private static partial void LogOlder(ILogger logger, long version, long held);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recall list refused ({Source}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not keep the recall list in {Path}: {Reason}")]
    private static partial void LogPersistFailed(ILogger logger, string path, string reason);
}
