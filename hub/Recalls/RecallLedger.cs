using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.Recalls;

/// <summary>A recall as the log tells it: who opened it, when and at which index, and whether and how it was closed.</summary>
internal sealed record RecallRecord(RecallOpened Opened, long OpenedIndex)
{
    public RecallClosed? Closed { get; init; }

    public long? ClosedIndex { get; init; }

    /// <summary>The packs the recall covered when it was closed (the rules forget them then).</summary>
    public IReadOnlyList<PackKey> PacksAtClose { get; init; } = [];

    public bool IsOpen => Closed is null;
}

/// <summary>What happened to a recalled pack after a recall: returned, destroyed, or a dispense the rules refused.</summary>
internal enum PackMarkKind
{
    Returned = 1,
    Destroyed = 2,
    DispenseRefused = 3,
}

internal readonly record struct PackMark(long Index, PackMarkKind Kind, Gln? Site, DateTimeOffset Time);

/// <summary>
/// The recalls and what became of their packs, kept from the facts <see cref="CustodyState"/> applies (so it is rebuilt
/// by the same replay and agrees with the rules at every <see cref="CustodyState.Read"/>): the rules know only open
/// recalls and current states; progress needs who decided, at which index, and the returns, destructions and refused
/// dispenses that followed.
/// </summary>
internal sealed class RecallLedger : ICustodyObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RecallRecord> _recalls = new(StringComparer.Ordinal);
    private readonly Dictionary<PackKey, List<PackMark>> _marks = [];

    public void Applied(long index, ChainFact fact, RuleOutcome outcome)
    {
        lock (_gate)
        {
            switch (fact)
            {
                case RecallOpened opened when outcome.IsGreen:
                    _recalls[opened.RecallId] = new RecallRecord(opened, index);
                    break;
                case RecallClosed closed when outcome.IsGreen && _recalls.TryGetValue(closed.RecallId, out var record):
                    _recalls[closed.RecallId] = record with
                    {
                        Closed = closed,
                        ClosedIndex = index,
                        PacksAtClose = [.. outcome.Changes.Where(c => c.Before?.Recalls.Contains(closed.RecallId, StringComparer.Ordinal) == true).Select(c => c.Pack)],
                    };
                    break;
                case DeviceEventFact device:
                    Mark(index, device, outcome);
                    break;
                case PackDispensed dispensed when outcome.Findings.Any(f => f.Reason == RuleReason.Recalled):
                    // A pharmacist's dispense through the hub counts like a till's (PROTOCOL.md §4.6).
                    Add(dispensed.Pack, new PackMark(index, PackMarkKind.DispenseRefused, dispensed.Site, dispensed.At));
                    break;
            }
        }
    }

    public RecallRecord? Find(string id)
    {
        lock (_gate)
        {
            return _recalls.GetValueOrDefault(id);
        }
    }

    public bool Exists(string id)
    {
        lock (_gate)
        {
            return _recalls.ContainsKey(id);
        }
    }

    /// <summary>Every recall, newest first.</summary>
    public IReadOnlyList<RecallRecord> List()
    {
        lock (_gate)
        {
            return [.. _recalls.Values.OrderByDescending(r => r.OpenedIndex)];
        }
    }

    /// <summary>The marks of a pack logged after <paramref name="index"/>.</summary>
    public IReadOnlyList<PackMark> MarksAfter(PackKey pack, long index)
    {
        lock (_gate)
        {
            return _marks.TryGetValue(pack, out var marks) ? [.. marks.Where(m => m.Index > index)] : [];
        }
    }

    private void Mark(long index, DeviceEventFact fact, RuleOutcome outcome)
    {
        var e = fact.Event;
        switch (e.Kind)
        {
            case CustodyEventKind.Returned or CustodyEventKind.Destroying:
                var kind = e.Kind == CustodyEventKind.Returned ? PackMarkKind.Returned : PackMarkKind.Destroyed;
                foreach (var change in outcome.Changes.Where(c => c.Before is { Recalls.Count: > 0 }))
                {
                    Add(change.Pack, new PackMark(index, kind, SiteOf(e), fact.At));
                }

                break;
            case CustodyEventKind.Dispensing:
                foreach (var pack in outcome.Findings.Where(f => f.Reason == RuleReason.Recalled).Select(f => f.Pack).OfType<PackKey>().Distinct())
                {
                    Add(pack, new PackMark(index, PackMarkKind.DispenseRefused, SiteOf(e), fact.At));
                }

                break;
        }
    }

    private void Add(PackKey pack, PackMark mark)
    {
        if (!_marks.TryGetValue(pack, out var list))
        {
            list = [];
            _marks[pack] = list;
        }

        list.Add(mark);
    }

    private static Gln? SiteOf(CustodyEvent e) =>
        Gs1Parser.Parse(e.ReadPoint, e.EventTime) is { IsSuccess: true, Value.Location: { } site } ? site : null;
}
