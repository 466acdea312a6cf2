using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Custody;

/// <summary>
/// The hub's custody state (DESIGN §6 "State"): one <see cref="CustodyRules"/> engine fed every log entry as a fact,
/// strictly in index order and each exactly once. The log is the only input, so a restart replays it to the same state
/// and the same verdicts. Whoever needs the state up to some index (an ack, a verification) first pulls the entries
/// sequenced so far from the store; there is no second path that could apply an entry twice or out of order.
/// </summary>
internal sealed partial class CustodyState(
    ILogStore store,
    IOptions<ColdChainOptions> options,
    ILogger<CustodyState> logger,
    IEnumerable<ICustodyObserver>? observers = null)
{
    private const int Page = 1024;

    // Pages with at least this many entries to decode are decoded in parallel (Facts).
    private const int ParallelDecodeFrom = 64;

    private readonly ICustodyObserver[] _observers = [.. observers ?? []];
    private readonly Lock _gate = new();
    private readonly Dictionary<long, CustodyVerdict> _verdicts = [];
    private readonly Dictionary<PackKey, List<long>> _packEntries = [];

    // The leaf hash and kind of every entry that names a pack, kept when it is applied: a verification's proofs need
    // them, and reading the entries back from the store was most of a verification's cost at 1 M entries
    // (docs/BENCHMARKS.md "Verification, recalls and growth"). One custody event names up to hundreds of packs.
    private readonly Dictionary<long, NamedEntry> _namedEntries = [];
    private CustodyRules? _rules;
    private long _applied;

    // Facts the ingest pipeline already decoded, by the index their entry got (Offer): applying them skips decoding the
    // stored envelope and its EPCIS payload again, which was a sixth of the hub's CPU per event under load. Bounded: an
    // offer for an index already applied is dropped, and leftovers behind the applied index are pruned.
    private readonly Dictionary<long, Offering> _offered = [];
    private readonly Lock _offeredGate = new();
    private const int OfferedPruneAt = 65_536;

    /// <summary>How many log entries (indexes 0 to this − 1) have been applied.</summary>
    public long Applied
    {
        get
        {
            lock (_gate)
            {
                return _applied;
            }
        }
    }

    /// <summary>
    /// Hands over the fact decoded from the leaf now stored at <paramref name="index"/> (the admitted envelope that the
    /// leaf encodes) with the leaf's hash, so that applying it neither reads nor decodes the leaf again. Reading the leaf
    /// gives the same fact; offering is optional and never changes a verdict.
    /// </summary>
    public void Offer(long index, ChainFact fact, byte[] leafHash, LogLeafKind kind)
    {
        ArgumentNullException.ThrowIfNull(fact);
        ArgumentNullException.ThrowIfNull(leafHash);
        lock (_offeredGate)
        {
            if (index >= Volatile.Read(ref _applied))
            {
                _offered.TryAdd(index, new Offering(fact, leafHash, kind));
            }
        }
    }

    /// <summary>Applies every entry sequenced so far; returns how many entries are applied.</summary>
    public long CatchUp()
    {
        var sequenced = store.ReadState().SequencedSize;
        lock (_gate)
        {
            ApplyUpTo(sequenced);
            return _applied;
        }
    }

    /// <summary>
    /// The verdict of the entry at <paramref name="index"/>, applying it (and every entry before it) first if needed; a
    /// duplicate gets the verdict recorded when its entry was first applied. Null when the entry holds no fact.
    /// </summary>
    public CustodyVerdict? VerdictAt(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        lock (_gate)
        {
            ApplyUpTo(index + 1);
            return _verdicts.GetValueOrDefault(index);
        }
    }

    /// <summary>
    /// Answers a verification after catching up with the log, with the entries the answer relied on: every device event
    /// and pharmacist's dispense decision that named the pack, in log order.
    /// </summary>
    public (VerificationAnswer Answer, IReadOnlyList<NamedEntry> Entries) Verify(PackKey pack, Lot? lot, Expiry? expiry, Gln? site, DateTimeOffset now)
    {
        var sequenced = store.ReadState().SequencedSize;
        lock (_gate)
        {
            ApplyUpTo(sequenced);
            var answer = Rules.Verify(pack, lot, expiry, site, now);
            return (answer, _packEntries.TryGetValue(pack, out var entries) ? [.. entries.Select(index => _namedEntries[index])] : []);
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on the rules caught up with every entry sequenced so far, with the number of entries
    /// applied, under the state's lock: nothing is applied meanwhile. <paramref name="read"/> must not keep the rules.
    /// </summary>
    public T Read<T>(Func<CustodyRules, long, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var sequenced = store.ReadState().SequencedSize;
        lock (_gate)
        {
            ApplyUpTo(sequenced);
            return read(Rules, _applied);
        }
    }

    /// <summary>
    /// Like <see cref="Read"/>, but on the entries applied so far, without reading the store (for start-up work right
    /// after <see cref="CustodyReplay"/> caught up).
    /// </summary>
    public T ReadApplied<T>(Func<CustodyRules, long, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            return read(Rules, _applied);
        }
    }

    private CustodyRules Rules => _rules ??= CreateRules();

    private CustodyRules CreateRules()
    {
        // The options were validated at start (ColdChainOptionsValidator), so building cannot fail here.
        if (!options.Value.TryBuild(out var profiles, out var problem))
        {
            throw new InvalidOperationException(problem);
        }

        return new CustodyRules(profiles);
    }

    // Offered entries are applied as they are; a run of entries nobody offered (replay at start, another hub's entries,
    // hub decisions) is read from the store a page at a time.
    private void ApplyUpTo(long end)
    {
        while (_applied < end)
        {
            if (Offered(_applied) is { } offered)
            {
                Apply(_applied, offered.Fact, new LeafRef(offered.LeafHash, Leaf: null, offered.Kind));
                _applied++;
                continue;
            }

            var entries = store.ReadEntries(_applied, NotOffered(_applied, (int)Math.Min(Page, end - _applied)));
            if (entries.Count == 0 || entries[0].Index != _applied)
            {
                // Not readable yet (an index is durable before the caller learns it, so this means a broken store).
                throw new InvalidOperationException($"Log entry {_applied} could not be read for the custody state.");
            }

            var facts = Facts(entries);
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                if (entry.Index != _applied)
                {
                    throw new InvalidOperationException($"Log entry {_applied} is missing from the store.");
                }

                Apply(entry.Index, facts[i], new LeafRef(LeafHash: null, entry.Leaf, (LogLeafKind)entry.Leaf[0]));
                _applied++;
            }
        }
    }

    // The facts of a page of entries: the offered ones, the rest decoded from their leaves. Decoding (envelope and EPCIS
    // JSON) is most of an entry's cost and needs no state, so a full page (the replay at start, a long catch-up) is decoded
    // on every core; the rules then apply the facts strictly in index order.
    private ChainFact?[] Facts(IReadOnlyList<StoredEntry> entries)
    {
        var facts = new ChainFact?[entries.Count];
        var missing = new List<int>();
        for (var i = 0; i < entries.Count; i++)
        {
            facts[i] = Offered(entries[i].Index)?.Fact;
            if (facts[i] is null)
            {
                missing.Add(i);
            }
        }

        if (missing.Count >= ParallelDecodeFrom)
        {
            Parallel.ForEach(missing, i => facts[i] = LogFacts.Read(entries[i]));
        }
        else
        {
            foreach (var i in missing)
            {
                facts[i] = LogFacts.Read(entries[i]);
            }
        }

        return facts;
    }

    private void Apply(long index, ChainFact? fact, LeafRef leaf)
    {
        if (fact is null)
        {
            return;
        }

        var outcome = Rules.Apply(fact);
        var verdict = CustodyVerdict.Of(outcome);
        _verdicts[index] = verdict;
        foreach (var observer in _observers)
        {
            observer.Applied(index, fact, outcome);
        }

        switch (fact)
        {
            case DeviceEventFact deviceEvent:
                foreach (var epc in deviceEvent.Event.Epcs)
                {
                    if (PackKey.TryParse(epc, out var pack, out _))
                    {
                        NamePack(pack, index);
                        Remember(index, leaf);
                    }
                }

                break;
            case PackDispensed dispensed:
                NamePack(dispensed.Pack, index);
                Remember(index, leaf);
                break;
            case DispenseUndone undone:
                NamePack(undone.Pack, index);
                Remember(index, leaf);
                break;
        }

        if (!outcome.IsGreen)
        {
            LogRed(index, verdict.Detail ?? string.Empty);
        }
    }

    /// <summary>Remembers that the entry at <paramref name="index"/> names <paramref name="pack"/> (its verification relies on it).</summary>
    private void NamePack(PackKey pack, long index)
    {
        if (!_packEntries.TryGetValue(pack, out var list))
        {
            list = [];
            _packEntries[pack] = list;
        }

        if (list.Count == 0 || list[^1] != index)
        {
            list.Add(index);
        }
    }

    private void Remember(long index, LeafRef leaf)
    {
        if (!_namedEntries.ContainsKey(index))
        {
            _namedEntries[index] = new NamedEntry(index, leaf.LeafHash ?? Rfc9162.HashLeaf(leaf.Leaf!), leaf.Kind);
        }
    }

    // Under _gate, while applying the entry at index (= _applied).
    private Offering? Offered(long index)
    {
        lock (_offeredGate)
        {
            if (_offered.Count == 0 || !_offered.Remove(index, out var offering))
            {
                return null;
            }

            if (_offered.Count > OfferedPruneAt)
            {
                foreach (var stale in _offered.Keys.Where(key => key <= index).ToList())
                {
                    _offered.Remove(stale);
                }
            }

            return offering;
        }
    }

    // Under _gate: how many entries from index on (at least 1, at most max) nobody offered.
    private int NotOffered(long index, int max)
    {
        lock (_offeredGate)
        {
            var count = 1;
            while (count < max && !_offered.ContainsKey(index + count))
            {
                count++;
            }

            return count;
        }
    }

    /// <summary>A fact handed over by ingest with its leaf's hash.</summary>
    private readonly record struct Offering(ChainFact Fact, byte[] LeafHash, LogLeafKind Kind);

    /// <summary>The leaf an applied entry came from: its hash when ingest offered it, else the stored leaf to hash on demand.</summary>
    private readonly record struct LeafRef(byte[]? LeafHash, byte[]? Leaf, LogLeafKind Kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Log entry {Index}: rule verdict red ({Reasons})")]
    private partial void LogRed(long index, string reasons);
}

/// <summary>A log entry a verification relied on: its index, its RFC 9162 leaf hash and what kind of leaf it is.</summary>
internal sealed record NamedEntry(long Index, byte[] LeafHash, LogLeafKind Kind);
