using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Recalls;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Agent.Station;

/// <summary>
/// Turns scans into custody events for one station role (DESIGN.md §2 "Barcodes", §5). Dock roles collect a batch: an
/// SSCC (AI 00) opens the container, a GLN sets the other party — at dock-out the destination (AI 410 ship-to), at
/// dock-in the sender (AI 410 or 414 from the sender's card; never our own site GLN, which is what a pallet's 410 says on
/// arrival) — then packs (AI 01 + 21, with 10/17 allowed) are added, and the end code or the idle timeout closes the batch
/// into one event. Commissioning and pharmacy record one event per pack. Green is only ever returned after the outbox
/// committed the event, or for a mode switch. A station with several roles (<c>Station:Roles</c>) starts in the first
/// and switches on a role's mode barcode; a switch while a batch holds packs is refused, so a batch is always recorded
/// under the mode it was scanned in. Not thread-safe: one scan at a time.
/// </summary>
internal sealed partial class StationWorkflow
{
    private const int RecentPacksRemembered = 256;

    private readonly IReadOnlyList<StationRole> _roles;
    private readonly Dictionary<string, StationRole> _modeCodes = new(StringComparer.Ordinal);
    private readonly StationOptions _options;
    private readonly EventOutbox _outbox;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _site;
    private readonly Gln _siteGln;
    private StationRole _role;
    private string _roleName;
    private readonly Batch _batch = new();
    private readonly Queue<string> _recentOrder = new();
    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private readonly IRecallCheck? _recalls;

    public StationWorkflow(StationOptions options, EventOutbox outbox, TimeProvider timeProvider, ILogger<StationWorkflow> logger, IRecallCheck? recalls = null)
    {
        _recalls = recalls;
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _roles = options.GetRoles();
        _role = _roles[0];
        _roleName = StationRoles.Name(_role);

        // Every scanning role's code is known, so a card for a role this station does not serve gets a clear red; the
        // served roles go first in case a single-role station's configuration gives two roles the same code.
        foreach (var role in _roles.Concat(StationRoles.Scanning))
        {
            if (options.ModeCodeOf(role).Trim() is { Length: > 0 } code)
            {
                _modeCodes.TryAdd(code, role);
            }
        }

        _outbox = outbox;
        _timeProvider = timeProvider;
        _logger = logger;
        if (!Gln.TryParse(options.SiteGln, out _siteGln, out var reason))
        {
            throw new ArgumentException($"Station:SiteGln was not validated: {reason}", nameof(options));
        }

        _site = Identifiers.Party(_siteGln);
    }

    /// <summary>The role the station serves now: the first configured one until a mode barcode switches it.</summary>
    public StationRole Mode => _role;

    /// <summary>True while a dock batch holds anything; the idle timer runs only then.</summary>
    public bool HasOpenBatch => !_batch.IsEmpty;

    public ScanOutcome Handle(string scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var outcome = HandleCore(scan);
        if (outcome.Signal == Signal.Red)
        {
            LogRefused(_logger, Printable(scan), outcome.Reason ?? string.Empty);
        }

        return outcome;
    }

    /// <summary>The idle timeout fired: closes the open batch as the end code would, or discards one that cannot be an event.</summary>
    public ScanOutcome? CloseIdleBatch()
    {
        if (_batch.IsEmpty)
        {
            return null;
        }

        if (_batch.Packs.Count == 0)
        {
            LogDiscarded(_logger, "no packs were scanned");
            _batch.Clear();
            return null;
        }

        if (_batch.Party is null)
        {
            var reason = $"batch of {_batch.Packs.Count} pack(s) discarded after {_options.BatchIdleTimeout}: no {PartyWord} GLN was scanned";
            LogRefused(_logger, "(idle timeout)", reason);
            _batch.Clear();
            return ScanOutcome.Red(reason);
        }

        return CloseBatch();
    }

    private string PartyWord => _role == StationRole.DockOut ? "destination" : "sender";

    private ScanOutcome HandleCore(string scan)
    {
        if (!_role.Scans())
        {
            return ScanOutcome.Red($"a {StationRoles.Name(_role)} station takes no scans");
        }

        if (_role.Batches() && string.Equals(scan.Trim(), _options.EndCode, StringComparison.Ordinal))
        {
            return CloseOnEndCode();
        }

        if (_modeCodes.TryGetValue(scan.Trim(), out var mode))
        {
            return SwitchMode(mode);
        }

        var parsed = Gs1Parser.Parse(scan, _timeProvider.GetUtcNow());
        if (!parsed.IsSuccess)
        {
            return ScanOutcome.Red($"unreadable barcode: {parsed.Error!.Message}");
        }

        var gs1 = parsed.Value!;

        // Offline recall check (PROTOCOL.md §5.6): a pack on the site's signed recall list never becomes an event here.
        if (_role is StationRole.Pharmacy or StationRole.DockIn && _recalls?.RefusalFor(gs1) is { } recalled)
        {
            return ScanOutcome.Red(recalled);
        }

        return _role switch
        {
            StationRole.DockOut or StationRole.DockIn => AddToBatch(gs1),
            StationRole.Commissioning => Commission(gs1),
            StationRole.Pharmacy => Dispense(gs1),
            _ => ScanOutcome.Red($"a {StationRoles.Name(_role)} station takes no scans"),
        };
    }

    private ScanOutcome SwitchMode(StationRole target)
    {
        var name = StationRoles.Name(target);
        if (!_roles.Contains(target))
        {
            return ScanOutcome.Red($"this station does not serve {name}: it serves {string.Join(", ", _roles.Select(StationRoles.Name))} (Station:Roles)");
        }

        if (target == _role)
        {
            return ScanOutcome.ShortBeep($"already in {name} mode");
        }

        if (_batch.Packs.Count > 0)
        {
            // The batch was scanned as a shipment (or a receipt); it must not silently become the other.
            return ScanOutcome.Red($"a {_roleName} batch of {_batch.Packs.Count} pack(s) is open: scan the end code to record it, then switch to {name}");
        }

        if (!_batch.IsEmpty)
        {
            LogDiscardedOnSwitch(_logger, name);
            _batch.Clear();
        }

        LogModeSwitched(_logger, _roleName, name);
        _role = target;
        _roleName = name;
        return ScanOutcome.Green;
    }

    private ScanOutcome AddToBatch(Gs1Scan scan)
    {
        if (scan.Sscc is { } sscc && scan.Gtin is null)
        {
            return SetContainer(sscc);
        }

        if (PartyOf(scan) is { } gln && scan.Gtin is null)
        {
            return SetParty(gln);
        }

        if (!TryPack(scan, out var pack, out var reason))
        {
            return ScanOutcome.Red(reason);
        }

        if (_batch.Packs.Contains(pack))
        {
            return ScanOutcome.ShortBeep("already in this batch");
        }

        if (_batch.Packs.Count >= _options.MaxPacksPerBatch)
        {
            return ScanOutcome.Red($"batch is full ({_options.MaxPacksPerBatch} packs, Station:MaxPacksPerBatch): scan the end code first");
        }

        _batch.Packs.Add(pack);
        return ScanOutcome.Blink;
    }

    private ScanOutcome SetContainer(Sscc sscc)
    {
        var container = Identifiers.Container(sscc);
        if (_batch.Container == container)
        {
            return ScanOutcome.ShortBeep("container already open");
        }

        if (_batch.Container is not null && _batch.Packs.Count > 0)
        {
            return ScanOutcome.Red($"container {_batch.Container} is open with {_batch.Packs.Count} pack(s): scan the end code first");
        }

        _batch.Container = container;
        return ScanOutcome.Blink;
    }

    private ScanOutcome SetParty(Gln gln)
    {
        if (gln == _siteGln)
        {
            return ScanOutcome.Red(_role == StationRole.DockOut
                ? "that is this site's own GLN, not a destination"
                : "that is this site's own GLN (the pallet's ship-to): scan the sender's GLN");
        }

        var party = Identifiers.Party(gln);
        if (_batch.Party == party)
        {
            return ScanOutcome.ShortBeep($"{PartyWord} already set");
        }

        if (_batch.Party is not null && _batch.Packs.Count > 0)
        {
            return ScanOutcome.Red($"{PartyWord} {_batch.Party} is set for {_batch.Packs.Count} pack(s): scan the end code first");
        }

        _batch.Party = party;
        return ScanOutcome.Blink;
    }

    private Gln? PartyOf(Gs1Scan scan) => _role == StationRole.DockOut ? scan.ShipTo : scan.ShipTo ?? scan.Location;

    private ScanOutcome CloseOnEndCode()
    {
        if (_batch.Packs.Count == 0)
        {
            return ScanOutcome.Red("nothing to close: no packs scanned");
        }

        if (_batch.Party is null)
        {
            return ScanOutcome.Red($"scan the {PartyWord} GLN (AI 410) before the end code");
        }

        return CloseBatch();
    }

    private ScanOutcome CloseBatch()
    {
        var packs = _batch.Packs.ToList();
        var party = _batch.Party!;
        var container = _batch.Container;
        var now = _timeProvider.GetUtcNow();
        var result = _outbox.Append(stamp => _role == StationRole.DockOut
            ? CustodyEvents.Ship(now, stamp, _site, packs, party, container)
            : CustodyEvents.Receive(now, stamp, _site, packs, party, container));
        if (!result.IsAppended)
        {
            // The batch stays open: nothing scanned is lost, and the operator can close it again once there is room.
            return ScanOutcome.Red(result.Reason!);
        }

        LogRecorded(_logger, _roleName, packs.Count, result.Seq);
        _batch.Clear();
        return ScanOutcome.Green;
    }

    private ScanOutcome Commission(Gs1Scan scan)
    {
        if (!TryPack(scan, out var pack, out var reason))
        {
            return ScanOutcome.Red(reason);
        }

        if (scan.Lot is not { } lot || scan.Expiry is not { } expiry)
        {
            return ScanOutcome.Red("commissioning needs the lot (AI 10) and expiry (AI 17) on the label");
        }

        return RecordSingle(pack, stamp => CustodyEvents.Commission(_timeProvider.GetUtcNow(), stamp, _site, [pack], lot.Value, expiry.Date));
    }

    private ScanOutcome Dispense(Gs1Scan scan) =>
        TryPack(scan, out var pack, out var reason)
            ? RecordSingle(pack, stamp => CustodyEvents.Dispense(_timeProvider.GetUtcNow(), stamp, _site, [pack]))
            : ScanOutcome.Red(reason);

    // A pack scanned twice in a row (the scanner read it twice, or the operator repeated) is recorded once.
    private ScanOutcome RecordSingle(string pack, Func<DeviceStamp, CustodyEvent> build)
    {
        if (_recent.Contains(pack))
        {
            return ScanOutcome.ShortBeep("already recorded");
        }

        var result = _outbox.Append(build);
        if (!result.IsAppended)
        {
            return ScanOutcome.Red(result.Reason!);
        }

        LogRecorded(_logger, _roleName, 1, result.Seq);
        _recent.Add(pack);
        _recentOrder.Enqueue(pack);
        if (_recentOrder.Count > RecentPacksRemembered)
        {
            _recent.Remove(_recentOrder.Dequeue());
        }

        return ScanOutcome.Green;
    }

    private static bool TryPack(Gs1Scan scan, out string pack, out string reason)
    {
        pack = string.Empty;
        if (scan.Gtin is not { } gtin)
        {
            reason = $"not a pack: {scan.ToBracketed()} has no GTIN (AI 01)";
            return false;
        }

        if (scan.Serial is not { } serial)
        {
            reason = $"not a serialized pack: {scan.ToBracketed()} has no serial (AI 21)";
            return false;
        }

        pack = Identifiers.Pack(gtin, serial);
        reason = string.Empty;
        return true;
    }

    // Scans may carry GS and other control characters; the log gets them visible.
    private static string Printable(string scan) =>
        string.Concat(scan.Select(c => char.IsControl(c) ? $"<{(int)c:X2}>" : c.ToString()));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scan {Scan} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string scan, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch discarded at idle timeout: {Reason}")]
    private static partial void LogDiscarded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch without packs discarded: the station switched to {Mode}")]
    private static partial void LogDiscardedOnSwitch(ILogger logger, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Station mode switched from {From} to {To}")]
    private static partial void LogModeSwitched(ILogger logger, string from, string to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded {Role} event with {Packs} pack(s) as seq {Seq}")]
    private static partial void LogRecorded(ILogger logger, string role, int packs, long seq);

    private sealed class Batch
    {
        public string? Container { get; set; }

        public string? Party { get; set; }

        public List<string> Packs { get; } = [];

        public bool IsEmpty => Container is null && Party is null && Packs.Count == 0;

        public void Clear()
        {
            Container = null;
            Party = null;
            Packs.Clear();
        }
    }
}
