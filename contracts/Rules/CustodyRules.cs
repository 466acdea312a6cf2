using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Rules;

/// <summary>
/// The custody "smart contract" (PROTOCOL.md §6): folds log facts one at a time into pack states and judges each.
/// Deterministic: it reads no clock, disk or network, and the same facts in the same order give the same outcomes and
/// states, so the hub applies facts as they are logged and an auditor replays the whole log to the same answer.
/// Not thread-safe: one writer applies facts in log order.
/// </summary>
public sealed class CustodyRules
{
    /// <summary>How long after a dispense the dispensing site may undo it (EU FMD, Delegated Regulation (EU) 2016/161 Art. 13).</summary>
    public static readonly TimeSpan UndoWindow = TimeSpan.FromDays(10);

    private readonly IReadOnlyDictionary<Gtin, ColdChainProfile> profiles;
    private readonly Dictionary<PackKey, PackState> packs = [];
    private readonly Dictionary<Place, IReadOnlyList<TemperatureSample>> readings = [];
    private readonly Dictionary<Place, SortedSet<PackKey>> visitors = [];
    private readonly Dictionary<string, DeviceEnrolled> devices = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, RecallOpened> openRecalls = new(StringComparer.Ordinal);
    private readonly HashSet<string> usedRecallIds = new(StringComparer.Ordinal);

    /// <summary>Creates an empty state.</summary>
    /// <param name="profiles">Cold-chain profile per trade item; packs of other GTINs have no cold-chain rule.</param>
    /// <exception cref="ArgumentException">A profile is invalid (a configuration error).</exception>
    public CustodyRules(IReadOnlyDictionary<Gtin, ColdChainProfile>? profiles = null)
    {
        this.profiles = profiles ?? new Dictionary<Gtin, ColdChainProfile>();
        foreach (var (gtin, profile) in this.profiles)
        {
            if (!profile.IsValid(out var reason))
            {
                throw new ArgumentException($"Cold-chain profile of GTIN {gtin}: {reason}", nameof(profiles));
            }
        }
    }

    /// <summary>Every known pack, sorted by key.</summary>
    public IEnumerable<PackState> Packs => packs.Values.OrderBy(p => p.Key);

    /// <summary>Readings per place, each in time order.</summary>
    public IReadOnlyDictionary<Place, IReadOnlyList<TemperatureSample>> Readings => readings;

    /// <summary>Ids of the open recalls, sorted.</summary>
    public IReadOnlyList<string> OpenRecalls => [.. openRecalls.Keys];

    /// <summary>The packs a recall scope covers now (a preview: nothing changes), sorted.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns>The covered packs.</returns>
    public IReadOnlyList<PackKey> Select(RecallScope scope) => Recalls.Select(scope, Candidates(scope));

    /// <summary>
    /// The packs a scope can cover: a place-bound scope only packs that were ever at that place (the visitors index the
    /// sensor rules keep), so an exposure recall at one fridge does not scan every pack; others every pack.
    /// </summary>
    private IEnumerable<PackState> Candidates(RecallScope scope)
    {
        Place? place = scope switch
        {
            ExposureRecallScope exposure => exposure.Place,
            ContainerRecallScope container => Place.Container(container.Container),
            _ => null,
        };
        if (place is not { } bound)
        {
            return packs.Values;
        }

        return visitors.TryGetValue(bound, out var keys) ? keys.Select(key => packs[key]) : [];
    }

    /// <summary>A pack's state.</summary>
    /// <param name="pack">The pack.</param>
    /// <returns>The state, or <see langword="null"/> if it was never commissioned.</returns>
    public PackState? Find(PackKey pack) => packs.GetValueOrDefault(pack);

    /// <summary>The cold-chain profile of a trade item.</summary>
    /// <param name="gtin">The GTIN.</param>
    /// <returns>The profile, or <see langword="null"/> when the product has no cold-chain rule.</returns>
    public ColdChainProfile? ProfileOf(Gtin gtin) => profiles.GetValueOrDefault(gtin);

    /// <summary>A pack's exposure since commissioning or its last quality release, evaluated at <paramref name="now"/>.</summary>
    /// <param name="pack">The pack.</param>
    /// <param name="now">The time of the question.</param>
    /// <returns>The report, or <see langword="null"/> for an unknown pack or a product without profile.</returns>
    public ExposureReport? Exposure(PackKey pack, DateTimeOffset now) =>
        packs.GetValueOrDefault(pack) is { } state ? Evaluate(state, now) : null;

    /// <summary>Answers a verification request like EU FMD/EMVS and US DSCSA VRS (PROTOCOL.md §6.6).</summary>
    /// <param name="pack">The scanned pack.</param>
    /// <param name="scannedLot">The lot on the label, if scanned.</param>
    /// <param name="scannedExpiry">The expiry on the label, if scanned.</param>
    /// <param name="site">The site asking (e.g. the pharmacy about to dispense); <see langword="null"/> to skip custody-at-site checks.</param>
    /// <param name="now">The time of the question.</param>
    /// <returns>The answer.</returns>
    public VerificationAnswer Verify(PackKey pack, Lot? scannedLot, Expiry? scannedExpiry, Gln? site, DateTimeOffset now) =>
        Verification.Answer(pack, packs.GetValueOrDefault(pack), scannedLot, scannedExpiry, site, now, state => Evaluate(state, now));

    /// <summary>The packs and sites of an open recall.</summary>
    /// <param name="recallId">The recall.</param>
    /// <returns>The impact, or <see langword="null"/> if no such recall is open.</returns>
    public RecallImpact? Impact(string recallId)
    {
        if (!openRecalls.TryGetValue(recallId, out var recall))
        {
            return null;
        }

        var affected = packs.Values.Where(p => p.Recalls.Contains(recallId, StringComparer.Ordinal)).OrderBy(p => p.Key).ToList();
        return new RecallImpact(recallId, recall.Scope, [.. affected.Select(p => p.Key)], Recalls.SitesOf(affected));
    }

    /// <summary>The recall list of a site: recalled packs it holds (not decommissioned) or expects in transit.</summary>
    /// <param name="site">The site.</param>
    /// <returns>Packs, sorted.</returns>
    public IReadOnlyList<PackKey> RecalledPacksAt(Gln site) =>
        [.. packs.Values
            .Where(p => p.Recalls.Count > 0
                && ((p.Lifecycle == PackLifecycle.Active && p.Custodian == site)
                    || (p.Lifecycle == PackLifecycle.InTransit && (p.Custodian == site || p.ShippedTo == site))))
            .Select(p => p.Key)
            .Order()];

    /// <summary>Applies one fact, in log order, and says what it did.</summary>
    /// <param name="fact">The next fact of the log.</param>
    /// <returns>Verdict, findings, alerts and state changes.</returns>
    public RuleOutcome Apply(ChainFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        var step = new Step();
        switch (fact)
        {
            case DeviceEventFact e:
                ApplyEvent(step, e);
                break;
            case DeviceEnrolled d:
                Enroll(step, d);
                break;
            case DeviceRevoked d:
                Revoke(step, d);
                break;
            case RecallOpened r:
                OpenRecall(step, r);
                break;
            case RecallClosed r:
                CloseRecall(step, r);
                break;
            case QuarantineReleased q:
                Release(step, q);
                break;
            case PackDispensed d when string.IsNullOrWhiteSpace(d.Actor):
            case DispenseUndone u when string.IsNullOrWhiteSpace(u.Actor):
                step.Red(RuleReason.MissingActorOrReason);
                break;
            case PackDispensed d:
                Dispense(step, [d.Pack], dispenseEvent: null, d.Site, d.At);
                break;
            case DispenseUndone u:
                UndoDispense(step, [u.Pack], undoes: null, u.Site, u.At);
                break;
            default:
                throw new ArgumentException($"Unknown fact type {fact.GetType().Name}.", nameof(fact));
        }

        return Finish(step);
    }

    private void ApplyEvent(Step step, DeviceEventFact fact)
    {
        var e = fact.Event;
        if (!devices.TryGetValue(e.Device.DeviceId, out var device))
        {
            step.Red(RuleReason.DeviceNotEnrolled);
            return;
        }

        if (!DigitalLinkKeys.TrySite(e.ReadPoint, out var site) || site != device.Site)
        {
            step.Red(RuleReason.SiteMismatch);
            return;
        }

        var at = fact.At;
        switch (e.Kind)
        {
            case CustodyEventKind.SensorReport or CustodyEventKind.SensorAlarm:
                Sense(step, e, site, at);
                return;
            case CustodyEventKind when device.Role == SiteRole.Sensor:
            case CustodyEventKind.Commissioning when device.Role != SiteRole.Manufacturer:
            case CustodyEventKind.Dispensing or CustodyEventKind.DispenseUndo when device.Role != SiteRole.Pharmacy:
                step.Red(RuleReason.RoleNotAllowed);
                return;
        }

        if (!TryPacks(step, e, out var keys))
        {
            return;
        }

        switch (e.Kind)
        {
            case CustodyEventKind.Commissioning:
                Commission(step, keys, e, site, at);
                break;
            case CustodyEventKind.Shipping:
                Ship(step, keys, e, site, at);
                break;
            case CustodyEventKind.Receiving:
                Receive(step, keys, site, at);
                break;
            case CustodyEventKind.Dispensing:
                Dispense(step, keys, fact.Id, site, at);
                break;
            case CustodyEventKind.DispenseUndo:
                UndoDispense(step, keys, e.Undoes, site, at);
                break;
            case CustodyEventKind.Destroying:
                Destroy(step, keys, site, at);
                break;
            case CustodyEventKind.Returned:
                Return(step, keys, e, site, at);
                break;
            case CustodyEventKind.Stolen:
                ReportStolen(step, keys, site, at);
                break;
        }
    }

    /// <summary>The packs of a custody event; any other epc except its one container is a bad identifier (red, nothing applied).</summary>
    private static bool TryPacks(Step step, CustodyEvent e, out List<PackKey> keys)
    {
        keys = [];
        foreach (var epc in e.Epcs)
        {
            if (PackKey.TryParse(epc, out var key, out _))
            {
                keys.Add(key);
            }
            else if (!string.Equals(epc, e.Container, StringComparison.Ordinal) || !DigitalLinkKeys.TryContainer(epc, out _))
            {
                step.Red(RuleReason.BadIdentifier);
                return false;
            }
        }

        if (keys.Count == 0 || keys.Distinct().Count() != keys.Count)
        {
            step.Red(RuleReason.BadIdentifier);
            return false;
        }

        keys.Sort();
        return true;
    }

    private void Commission(Step step, List<PackKey> keys, CustodyEvent e, Gln site, DateTimeOffset at)
    {
        foreach (var key in keys)
        {
            if (packs.ContainsKey(key))
            {
                step.Red(RuleReason.AlreadyCommissioned, key);
                continue;
            }

            Set(step, new PackState
            {
                Key = key,
                Lot = e.Lot!,
                Expiry = e.Expiry!.Value,
                CommissionedTime = at,
                Lifecycle = PackLifecycle.Active,
                Custodian = site,
                Since = at,
                Presence = [new Presence(Place.Site(site), at, null)],
            });
        }
    }

    private void Ship(Step step, List<PackKey> keys, CustodyEvent e, Gln site, DateTimeOffset at)
    {
        if (!DigitalLinkKeys.TrySite(e.Party, out var receiver) || !TryContainer(e, out var container))
        {
            step.Red(RuleReason.BadIdentifier);
            return;
        }

        foreach (var key in keys)
        {
            if (Known(step, key, at) is not { } state)
            {
                continue;
            }

            var reasons = new List<RuleReason>();
            Decommissioned(state, reasons);
            if (state.Lifecycle == PackLifecycle.InTransit)
            {
                reasons.Add(RuleReason.NotActive);
            }

            if (state.Custodian != site)
            {
                reasons.Add(RuleReason.NotCustodian);
                state = MarkCustodyBroken(step, state);
            }

            Blocked(state, at, reasons, suspectBlocks: true);
            if (step.Red(reasons, key))
            {
                continue;
            }

            Dispatch(step, state, at, receiver, container, isReturn: false);
        }
    }

    /// <summary>A pack leaves its custodian's site (shipped or returned): in transit to <paramref name="to"/>, inside <paramref name="container"/> if any.</summary>
    private void Dispatch(Step step, PackState state, DateTimeOffset at, Gln? to, Sscc? container, bool isReturn) =>
        Set(step, Moved(state, at, container is { } c ? Place.Container(c) : null) with
        {
            Lifecycle = PackLifecycle.InTransit,
            ShippedTo = to,
            Container = container,
            IsReturn = isReturn,
        });

    private void Receive(Step step, List<PackKey> keys, Gln site, DateTimeOffset at)
    {
        foreach (var key in keys)
        {
            if (Known(step, key, at) is not { } state)
            {
                continue;
            }

            var reasons = new List<RuleReason>();
            if (Decommissioned(state, reasons))
            {
                // A decommissioned serial back in the supply chain: possible falsification (EU FMD).
                state = MarkSuspect(step, state);
            }

            var expected = state.Lifecycle == PackLifecycle.InTransit && state.ShippedTo == site;
            if (!expected && state.Lifecycle is PackLifecycle.Active or PackLifecycle.InTransit)
            {
                reasons.Add(RuleReason.UnexpectedReceipt);
                if (state.Custodian != site)
                {
                    state = MarkCustodyBroken(step, state);
                }
            }

            // A return exists to take such packs out of the chain, so its destination may receive them.
            if (!(expected && state.IsReturn))
            {
                Blocked(state, at, reasons, suspectBlocks: false);
            }

            if (step.Red(reasons, key))
            {
                continue;
            }

            Set(step, Moved(state, at, Place.Site(site)) with
            {
                Lifecycle = PackLifecycle.Active,
                ReceivedFrom = state.Custodian,
                Custodian = site,
                ShippedTo = null,
                Container = null,
                IsReturn = false,
                Handoffs = state.Handoffs + 1,
            });
        }
    }

    /// <summary>A dispense by a device (<paramref name="dispenseEvent"/> its event id) or by a pharmacist through the hub (null).</summary>
    private void Dispense(Step step, List<PackKey> keys, EventId? dispenseEvent, Gln site, DateTimeOffset at)
    {
        foreach (var key in keys)
        {
            if (Known(step, key, at) is not { } state)
            {
                continue;
            }

            var reasons = new List<RuleReason>();
            if (Decommissioned(state, reasons) && state.Lifecycle == PackLifecycle.Dispensed)
            {
                // EU FMD: a second decommissioning of the same unique identifier flags a possible falsification.
                state = MarkSuspect(step, state);
            }

            if (state.Lifecycle == PackLifecycle.InTransit || (state.Lifecycle == PackLifecycle.Active && state.Custodian != site))
            {
                reasons.Add(RuleReason.NotReceivedAtThisSite);
            }

            Blocked(state, at, reasons, suspectBlocks: true);
            if (Evaluate(step, state, at) is { UnknownTooLong: true })
            {
                reasons.Add(RuleReason.ColdChainUnknown);
            }

            if (step.Red(reasons, key))
            {
                continue;
            }

            Set(step, Closed(state, at) with
            {
                Lifecycle = PackLifecycle.Dispensed,
                DispensedAt = site,
                DispensedTime = at,
                DispenseEvent = dispenseEvent,
            });
        }
    }

    /// <summary>
    /// An undo by a device, naming the dispense event it undoes, or by a pharmacist through the hub
    /// (<paramref name="undoes"/> null: the pack's current dispense, whoever made it, at the same site).
    /// </summary>
    private void UndoDispense(Step step, List<PackKey> keys, EventId? undoes, Gln site, DateTimeOffset at)
    {
        foreach (var key in keys)
        {
            if (Known(step, key, at) is not { } state)
            {
                continue;
            }

            var reasons = new List<RuleReason>();
            if (state.Lifecycle != PackLifecycle.Dispensed || (undoes is not null && state.DispenseEvent != undoes))
            {
                reasons.Add(RuleReason.UndoNotMatching);
            }
            else
            {
                if (state.DispensedAt != site)
                {
                    reasons.Add(RuleReason.UndoOtherSite);
                }

                if (at - state.DispensedTime > UndoWindow)
                {
                    reasons.Add(RuleReason.UndoWindowPassed);
                }
            }

            // Art. 13: never back to active when recalled or expired.
            if (state.Recalls.Count > 0)
            {
                reasons.Add(RuleReason.Recalled);
            }

            if (state.IsExpiredAt(at))
            {
                reasons.Add(RuleReason.Expired);
            }

            if (step.Red(reasons, key))
            {
                continue;
            }

            Set(step, state with
            {
                Lifecycle = PackLifecycle.Active,
                DispensedAt = null,
                DispensedTime = null,
                DispenseEvent = null,
                Since = at,
                Presence = [.. state.Presence, new Presence(Place.Site(site), at, null)],
            });
        }
    }

    private void Destroy(Step step, List<PackKey> keys, Gln site, DateTimeOffset at)
    {
        foreach (var key in keys)
        {
            if (Known(step, key, at) is not { } state)
            {
                continue;
            }

            var reasons = new List<RuleReason>();
            Gone(state, reasons);
            if (state.Lifecycle == PackLifecycle.InTransit)
            {
                reasons.Add(RuleReason.NotActive);
            }

            if (state.Custodian != site)
            {
                reasons.Add(RuleReason.NotCustodian);
            }

            if (!step.Red(reasons, key))
            {
                Set(step, Closed(state, at) with { Lifecycle = PackLifecycle.Destroyed });
            }
        }
    }

    private void Return(Step step, List<PackKey> keys, CustodyEvent e, Gln site, DateTimeOffset at)
    {
        Gln? named = null;
        if (e.Party is not null)
        {
            if (!DigitalLinkKeys.TrySite(e.Party, out var party))
            {
                step.Red(RuleReason.BadIdentifier);
                return;
            }

            named = party;
        }

        if (!TryContainer(e, out var container))
        {
            step.Red(RuleReason.BadIdentifier);
            return;
        }

        foreach (var key in keys)
        {
            if (Known(step, key, at) is not { } state)
            {
                continue;
            }

            var reasons = new List<RuleReason>();
            Decommissioned(state, reasons);
            if (state.Lifecycle == PackLifecycle.InTransit)
            {
                reasons.Add(RuleReason.NotActive);
            }

            if (state.Custodian != site)
            {
                reasons.Add(RuleReason.NotCustodian);
            }

            var destination = named ?? state.ReceivedFrom;
            if (destination is null)
            {
                reasons.Add(RuleReason.NoReturnDestination);
            }

            if (step.Red(reasons, key))
            {
                continue;
            }

            Dispatch(step, state, at, destination, container, isReturn: true);
        }
    }

    private void ReportStolen(Step step, List<PackKey> keys, Gln site, DateTimeOffset at)
    {
        foreach (var key in keys)
        {
            if (Known(step, key, at) is not { } state)
            {
                continue;
            }

            var reasons = new List<RuleReason>();
            Gone(state, reasons);
            if (state.Custodian != site && !(state.Lifecycle == PackLifecycle.InTransit && state.ShippedTo == site))
            {
                reasons.Add(RuleReason.NotCustodian);
            }

            if (!step.Red(reasons, key))
            {
                Set(step, Closed(state, at) with { Lifecycle = PackLifecycle.Stolen });
            }
        }
    }

    /// <summary>Stores the samples of a sensor event, then latches any pack at that place whose exposure now breaks its profile.</summary>
    private void Sense(Step step, CustodyEvent e, Gln site, DateTimeOffset at)
    {
        var place = DigitalLinkKeys.TryContainer(e.Epcs[0], out var container) ? Place.Container(container) : Place.Site(site);
        var samples = new List<TemperatureSample>();
        foreach (var report in (e.Event.SensorElementList ?? []).SelectMany(element => element.SensorReport ?? []))
        {
            // Summary entries (min/max/mean) have no time of their own and are not readings.
            if (report.Value is { } celsius && EpcisTime.TryRead(report.Time, out var time))
            {
                samples.Add(new TemperatureSample(time, celsius));
            }
        }

        if (samples.Count == 0)
        {
            return;
        }

        if (!readings.TryGetValue(place, out var existing))
        {
            existing = new List<TemperatureSample>();
            readings[place] = existing;
        }

        var series = (List<TemperatureSample>)existing;
        var earliest = samples.Min(s => s.Time);
        var before = series.FindLast(s => s.Time < earliest);
        foreach (var sample in samples)
        {
            // Insert after every sample at the same or an earlier time: arrival order breaks ties.
            var index = series.FindLastIndex(s => s.Time <= sample.Time) + 1;
            series.Insert(index, sample);
        }

        // A new sample changes the step function from the reading before it onwards. Without a cold-chain profile no
        // pack can be latched, and every pack that ever visited the place is a long walk per report (docs/BENCHMARKS.md
        // "Verification, recalls and growth": the custody replay grew with packs × reports).
        var affectedFrom = before == default ? earliest : before.Time;
        if (profiles.Count == 0 || !visitors.TryGetValue(place, out var keys))
        {
            return;
        }

        foreach (var key in keys)
        {
            var state = packs[key];
            if (state.Presence.Any(p => p.Place == place && (p.To is not { } to || to > affectedFrom)))
            {
                Latch(step, state, at);
            }
        }
    }

    private void Enroll(Step step, DeviceEnrolled decision)
    {
        if (string.IsNullOrWhiteSpace(decision.Actor) || string.IsNullOrWhiteSpace(decision.DeviceId))
        {
            step.Red(RuleReason.MissingActorOrReason);
            return;
        }

        devices[decision.DeviceId] = decision;
    }

    private void Revoke(Step step, DeviceRevoked decision)
    {
        if (string.IsNullOrWhiteSpace(decision.Actor) || string.IsNullOrWhiteSpace(decision.Reason))
        {
            step.Red(RuleReason.MissingActorOrReason);
        }
        else if (!devices.Remove(decision.DeviceId))
        {
            step.Red(RuleReason.DeviceNotEnrolled);
        }
    }

    private void OpenRecall(Step step, RecallOpened decision)
    {
        if (string.IsNullOrWhiteSpace(decision.Actor) || string.IsNullOrWhiteSpace(decision.Reason) || decision.Scope is null)
        {
            step.Red(RuleReason.MissingActorOrReason);
            return;
        }

        if (string.IsNullOrEmpty(decision.RecallId) || !usedRecallIds.Add(decision.RecallId))
        {
            step.Red(RuleReason.RecallIdConflict);
            return;
        }

        openRecalls[decision.RecallId] = decision;

        // Finish() adds the recall id to every covered pack the step touched; touch them all here.
        // Filter first, then sort only the covered packs: sorting every pack cost ~0.5 s per recall at 1 M packs.
        foreach (var state in packs.Values.Where(decision.Scope.Covers).OrderBy(p => p.Key).ToList())
        {
            Set(step, state);
        }
    }

    private void CloseRecall(Step step, RecallClosed decision)
    {
        if (string.IsNullOrWhiteSpace(decision.Actor) || string.IsNullOrWhiteSpace(decision.Reason))
        {
            step.Red(RuleReason.MissingActorOrReason);
            return;
        }

        if (!openRecalls.Remove(decision.RecallId))
        {
            step.Red(RuleReason.RecallIdConflict);
            return;
        }

        foreach (var state in Packs.Where(p => p.Recalls.Contains(decision.RecallId, StringComparer.Ordinal)).ToList())
        {
            Set(step, state with { Recalls = [.. state.Recalls.Where(r => !string.Equals(r, decision.RecallId, StringComparison.Ordinal))] });
        }
    }

    private void Release(Step step, QuarantineReleased decision)
    {
        if (string.IsNullOrWhiteSpace(decision.Actor) || string.IsNullOrWhiteSpace(decision.Reason))
        {
            step.Red(RuleReason.MissingActorOrReason);
            return;
        }

        foreach (var key in decision.Packs.Distinct().Order())
        {
            if (packs.GetValueOrDefault(key) is not { } state)
            {
                step.Red(RuleReason.UnknownPack, key);
                continue;
            }

            Set(step, state with
            {
                Compromise = [],
                CompromisedTime = null,
                Suspect = false,
                CustodyBroken = false,
                ReleasedTime = decision.At,
            });
        }
    }

    /// <summary>The pack's state with its cold chain latched at <paramref name="at"/>; an unknown pack is a red finding.</summary>
    private PackState? Known(Step step, PackKey key, DateTimeOffset at)
    {
        if (packs.GetValueOrDefault(key) is not { } state)
        {
            step.Red(RuleReason.UnknownPack, key);
            return null;
        }

        return Latch(step, state, at);
    }

    /// <summary>Latches a compromise: once the known exposure breaks the profile the pack stays compromised until released.</summary>
    private PackState Latch(Step step, PackState state, DateTimeOffset at)
    {
        if (state.IsCompromised || Evaluate(step, state, at) is not { Compromised: true } report)
        {
            return state;
        }

        step.Alert(RuleReason.ColdChainCompromised, state.Key);
        return Set(step, state with { Compromise = report.Breaches, CompromisedTime = at });
    }

    private ExposureReport? Evaluate(PackState state, DateTimeOffset until) =>
        profiles.GetValueOrDefault(state.Key.Gtin) is { } profile
            ? ExposureEvaluator.Evaluate(profile, state.Presence, readings, state.ReleasedTime ?? state.CommissionedTime, until)
            : null;

    /// <summary>
    /// Evaluates within one fact, sharing the report between packs with the same product, start and presence (typically
    /// the packs of one shipment), so a sensor report at a busy fridge costs one evaluation per distinct history.
    /// </summary>
    private ExposureReport? Evaluate(Step step, PackState state, DateTimeOffset until)
    {
        if (!profiles.ContainsKey(state.Key.Gtin))
        {
            return null;
        }

        var key = new System.Text.StringBuilder()
            .Append(state.Key.Gtin.Value).Append('|').Append((state.ReleasedTime ?? state.CommissionedTime).UtcTicks)
            .Append('|').Append(until.UtcTicks);
        foreach (var stay in state.Presence)
        {
            key.Append('|').Append(stay.Place?.ToString()).Append(',').Append(stay.From.UtcTicks).Append(',').Append(stay.To?.UtcTicks);
        }

        var text = key.ToString();
        if (!step.Exposures.TryGetValue(text, out var report))
        {
            report = Evaluate(state, until);
            step.Exposures[text] = report;
        }

        return report;
    }

    private PackState MarkSuspect(Step step, PackState state)
    {
        if (state.Suspect)
        {
            return state;
        }

        step.Alert(RuleReason.Suspect, state.Key);
        return Set(step, state with { Suspect = true });
    }

    private PackState MarkCustodyBroken(Step step, PackState state)
    {
        if (state.CustodyBroken)
        {
            return state;
        }

        step.Alert(RuleReason.CustodyBroken, state.Key);
        return Set(step, state with { CustodyBroken = true });
    }

    /// <summary>Dispensed, destroyed or stolen: adds why and says whether it was.</summary>
    private static bool Decommissioned(PackState state, List<RuleReason> reasons)
    {
        if (state.Lifecycle == PackLifecycle.Dispensed)
        {
            reasons.Add(RuleReason.AlreadyDispensed);
            return true;
        }

        return Gone(state, reasons);
    }

    private static bool Gone(PackState state, List<RuleReason> reasons)
    {
        switch (state.Lifecycle)
        {
            case PackLifecycle.Destroyed:
                reasons.Add(RuleReason.Destroyed);
                return true;
            case PackLifecycle.Stolen:
                reasons.Add(RuleReason.Stolen);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Recalled, expired, compromised, and (when it blocks) suspect or custody broken.</summary>
    private static void Blocked(PackState state, DateTimeOffset at, List<RuleReason> reasons, bool suspectBlocks)
    {
        if (state.Recalls.Count > 0)
        {
            reasons.Add(RuleReason.Recalled);
        }

        if (state.IsExpiredAt(at))
        {
            reasons.Add(RuleReason.Expired);
        }

        if (state.IsCompromised)
        {
            reasons.Add(RuleReason.ColdChainCompromised);
        }

        if (suspectBlocks && state.Suspect)
        {
            reasons.Add(RuleReason.Suspect);
        }

        if (suspectBlocks && state.CustodyBroken)
        {
            reasons.Add(RuleReason.CustodyBroken);
        }
    }

    private static bool TryContainer(CustodyEvent e, out Sscc? container)
    {
        container = null;
        if (e.Container is null)
        {
            return true;
        }

        if (!DigitalLinkKeys.TryContainer(e.Container, out var sscc))
        {
            return false;
        }

        container = sscc;
        return true;
    }

    /// <summary>Closes the open presence at <paramref name="at"/> and opens one at <paramref name="place"/>.</summary>
    private static PackState Moved(PackState state, DateTimeOffset at, Place? place)
    {
        var closed = Closed(state, at);
        return closed with { Presence = [.. closed.Presence, new Presence(place, at, null)] };
    }

    /// <summary>Closes the open presence at <paramref name="at"/> (never before it opened: clocks of different devices disagree).</summary>
    private static PackState Closed(PackState state, DateTimeOffset at)
    {
        var presence = state.Presence.ToList();
        if (presence.Count > 0 && presence[^1] is { To: null } open)
        {
            presence[^1] = open with { To = at > open.From ? at : open.From };
        }

        return state with { Presence = presence, Since = at };
    }

    private PackState Set(Step step, PackState after)
    {
        step.Before.TryAdd(after.Key, packs.GetValueOrDefault(after.Key));
        packs[after.Key] = after;
        return after;
    }

    /// <summary>Adds the ids of open recalls that now cover a changed pack, indexes where it has been, and builds the outcome.</summary>
    private RuleOutcome Finish(Step step)
    {
        var changes = new List<PackChange>();
        foreach (var (key, before) in step.Before.OrderBy(b => b.Key))
        {
            var after = packs[key];
            var recalls = openRecalls.Where(r => after.Recalls.Contains(r.Key, StringComparer.Ordinal) || r.Value.Scope.Covers(after))
                .Select(r => r.Key)
                .ToList();
            if (!recalls.SequenceEqual(after.Recalls, StringComparer.Ordinal))
            {
                after = after with { Recalls = recalls };
                packs[key] = after;
            }

            foreach (var place in after.Presence.Select(p => p.Place).OfType<Place>())
            {
                if (!visitors.TryGetValue(place, out var set))
                {
                    set = [];
                    visitors[place] = set;
                }

                set.Add(key);
            }

            if (!ReferenceEquals(before, after))
            {
                changes.Add(new PackChange(key, before, after));
            }
        }

        var findings = step.Findings.Order(FindingOrder.Instance).ToList();
        var alerts = step.Alerts.Concat(step.Findings).Distinct().Order(FindingOrder.Instance).ToList();
        return new RuleOutcome(findings.Count == 0 ? Verdict.Green : Verdict.Red, findings, alerts, changes);
    }

    /// <summary>What one fact did so far.</summary>
    private sealed class Step
    {
        public List<RuleFinding> Findings { get; } = [];

        public List<RuleFinding> Alerts { get; } = [];

        public Dictionary<PackKey, PackState?> Before { get; } = [];

        public Dictionary<string, ExposureReport?> Exposures { get; } = new(StringComparer.Ordinal);

        public void Red(RuleReason reason, PackKey? pack = null) => Findings.Add(new RuleFinding(reason, pack));

        /// <summary>Adds each reason as a finding about <paramref name="pack"/>; says whether there was any.</summary>
        public bool Red(List<RuleReason> reasons, PackKey pack)
        {
            foreach (var reason in reasons.Distinct())
            {
                Red(reason, pack);
            }

            return reasons.Count > 0;
        }

        public void Alert(RuleReason reason, PackKey pack) => Alerts.Add(new RuleFinding(reason, pack));
    }

    private sealed class FindingOrder : IComparer<RuleFinding>
    {
        public static readonly FindingOrder Instance = new();

        public int Compare(RuleFinding x, RuleFinding y)
        {
            var byPack = (x.Pack, y.Pack) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                ({ } a, { } b) => a.CompareTo(b),
            };
            return byPack != 0 ? byPack : x.Reason.CompareTo(y.Reason);
        }
    }
}
