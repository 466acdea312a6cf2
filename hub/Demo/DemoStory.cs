using System.Globalization;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Users;
using SupplyChain.Hub.Verification;
using static SupplyChain.Hub.Demo.DemoSites;

namespace SupplyChain.Hub.Demo;

/// <summary>
/// The demo's choreographer. Once the hub has started it issues the demo users, enrols the stations (as
/// <c>devices enroll</c> does), starts them, and then runs the supply chain in cycles, each step one pace apart: the
/// line commissions two lots, the manufacturer's dock loads the pallet onto the truck, the distributor receives it,
/// keeps it in the cold room and ships totes on to the two pharmacies, which receive them and dispense. Along the way:
/// the truck's reefer fails now and then (its pallet is then held in quarantine: the hub will not let it ship), a quality
/// person recalls a lot (the pharmacy till then refuses it from its signed recall list), and a counterfeit pack turns
/// up at a counter. Every scan goes through a station's scanner port and every decision through the hub's own code.
/// </summary>
internal sealed class DemoStory(
    DemoSettings settings,
    IHostApplicationLifetime lifetime,
    DeviceEnrolment enrolment,
    IDeviceRegistry devices,
    UserAccounts accounts,
    IUserStore users,
    RecallDesk recalls,
    ScanVerifier verifier,
    CustodyState custody,
    EmbeddedBroker broker,
    HubSigningKey key,
    TimeProvider time) : BackgroundService
{
    public const int PacksPerCycle = 24;
    private const int DispensedPerCycle = 4;

    private readonly Dictionary<string, DemoStation> _stations = new(StringComparer.Ordinal);
    private readonly TextWriter _console = Console.Out;
    private IReadOnlyList<DemoUser> _users = [];
    private DateTimeOffset _truckStarted;
    private DemoPack? _safe;
    private (DemoPack Pack, string RecallId)? _recalled;
    private DemoPack? _counterfeit;
    private bool _examplesPrinted;
    private int _quarantined;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await StartedAsync(stoppingToken);
            try
            {
                await SetUpAsync(stoppingToken);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException)
            {
                // Nothing to show without stations: say why and stop the hub, without a stack trace for a known cause.
                Say($"the demo cannot start: {e.Message}");
                Environment.ExitCode = 1;
                lifetime.StopApplication();
                return;
            }

            var cycle = NextCycle();
            for (; !stoppingToken.IsCancellationRequested; cycle++)
            {
                try
                {
                    await CycleAsync(cycle, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Top of the story's loop: a slow station, a step that timed out or a refused step ends this cycle, not
                    // the demo. The hub and the stations keep their state; the next cycle starts from what the hub says is where.
                    Say($"cycle {cycle} stopped early: {e.Message}");
                }

                await Task.Delay(settings.Rest, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl+C: the stations stop below, then the hub.
        }
        finally
        {
            foreach (var station in _stations.Values.Reverse())
            {
                await station.DisposeAsync();
            }
        }
    }

    private async Task StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    private async Task SetUpAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.StationsDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _users = DemoUsers.Issue(accounts, users);
        var admin = _users.Of(UserRole.Admin).Name;
        var enrolled = 0;
        foreach (var plan in Stations)
        {
            var station = DemoStation.Prepare(plan, settings.StationsDirectory, _console);
            if (!DeviceId.TryParse(plan.DeviceId, out var id, out var why))
            {
                throw new InvalidOperationException($"device id {plan.DeviceId}: {why}");
            }

            if (devices.Find(id) is null)
            {
                // As an operator would: a password for the broker, kept on the station only (the hub stores its hash).
                var password = DevicePassword.Generate();
                await File.WriteAllTextAsync(station.PasswordFile, password, cancellationToken);
                File.SetUnixFileMode(station.PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                var outcome = await enrolment.EnrollAsync(
                    new EnrolRequest(plan.DeviceId, station.PublicKeyBase64, plan.Site.Gln, plan.HubRole, password, admin), cancellationToken);
                if (!outcome.IsSuccess)
                {
                    throw new InvalidOperationException($"enrolling {plan.DeviceId}: {outcome.Error}");
                }

                enrolled++;
            }
            else if (!File.Exists(station.PasswordFile))
            {
                throw new InvalidOperationException($"{plan.DeviceId} is enrolled but {station.PasswordFile} is missing: start with a fresh --data directory");
            }

            _stations[plan.DeviceId] = station;
        }

        var link = new DemoHubLink(broker.Port, key.VerifierKey);
        foreach (var station in _stations.Values)
        {
            await station.StartAsync(link, cancellationToken);
            if (station.Plan == Truck)
            {
                _truckStarted = time.GetUtcNow();
            }
        }

        _console.Write(DemoBanner.Welcome(settings, _users));
        Say(enrolled > 0
            ? $"{admin} enrolled {enrolled} stations (keys made in their own directories); all {_stations.Count} are running"
            : $"all {_stations.Count} stations are running again with their keys and outboxes");
    }

    /// <summary>The cycle after the last one in the log, so a resumed demo commissions new serials.</summary>
    private int NextCycle() =>
        custody.Read((rules, _) => rules.Packs.Select(p => CycleOf(p.Lot) ?? 0).DefaultIfEmpty(0).Max()) + 1;

    private async Task CycleAsync(int cycle, CancellationToken cancellationToken)
    {
        string[] lots = [Lot(cycle, 'A'), Lot(cycle, 'B')];
        var packs = Enumerable.Range(0, PacksPerCycle).Select(i => new DemoPack(Serial(cycle, i), lots[i * 2 / PacksPerCycle])).ToList();

        await ScanAsync(Line, [.. packs.Select(p => p.Label)], cancellationToken);
        Say($"{Manufacturer.Name}: {Line.DeviceId} commissioned {packs.Count} packs, lots {lots[0]} and {lots[1]}{Reading(Place.Site(Site(Manufacturer)), "; warehouse at ")}");
        await PauseAsync(cancellationToken);

        await ScanAsync(MfrDock, Batch(Trailer, "410" + Distributor.Gln, packs), cancellationToken);
        Say($"{Manufacturer.Name}: {MfrDock.DeviceId} loaded the pallet onto {Truck.DeviceId} (trailer SSCC {Trailer}) for {Distributor.Name}");
        await TransitAsync(packs, cancellationToken);

        await ScanAsync(DcIn, Batch(Trailer, "414" + Manufacturer.Gln, packs), cancellationToken);
        if (verifier.Answer(packs[0].Key, null, null, Site(Distributor), time.GetUtcNow()) is { Custody.Custodian: var custodian } answer
            && custodian != VerificationResponse.SiteUri(Distributor.Gln))
        {
            // The hub refuses a receipt of compromised packs (PROTOCOL.md §6.3): they stay in transit, out of the chain.
            Say($"{Distributor.Name}: {DcIn.DeviceId} scanned the pallet in, but the hub refuses the receipt ({string.Join(", ", answer.Reasons)}): "
                + "it stays quarantined on the dock and goes no further");
            return;
        }

        Say($"{Distributor.Name}: {DcIn.DeviceId} received the pallet; into the cold room{Reading(Place.Site(Site(Distributor)), ", at ")}");
        await PauseAsync(cancellationToken);

        var (fit, held) = Stock(Distributor);
        if (held.Count != _quarantined && held.Count > 0)
        {
            _quarantined = held.Count;
            Say($"{Distributor.Name}: {held.Count} packs held in quarantine; the hub answers {held[0].Reasons} for them, so they do not ship");
        }

        if (fit.Count == 0)
        {
            Say($"{Distributor.Name}: nothing fit to ship this time");
            return;
        }

        List<DemoPack> toOne = [.. fit.Where((_, i) => i % 2 == 0)];
        List<DemoPack> toTwo = [.. fit.Where((_, i) => i % 2 == 1)];
        string[] totes = [Tote(cycle, 0), Tote(cycle, 1)];
        await ScanAsync(DcOut, [.. Batch(totes[0], "410" + PharmacyOne.Gln, toOne), .. toTwo.Count > 0 ? Batch(totes[1], "410" + PharmacyTwo.Gln, toTwo) : []], cancellationToken);
        Say($"{Distributor.Name}: {DcOut.DeviceId} shipped tote {totes[0]} ({toOne.Count} packs) to {PharmacyOne.Name} and tote {totes[1]} ({toTwo.Count} packs) to {PharmacyTwo.Name}");
        await PauseAsync(cancellationToken);

        await ScanAsync(PharmacyOneIn, Batch(totes[0], "414" + Distributor.Gln, toOne), cancellationToken);
        if (toTwo.Count > 0)
        {
            await ScanAsync(PharmacyTwoIn, Batch(totes[1], "414" + Distributor.Gln, toTwo), cancellationToken);
        }

        Say($"{PharmacyOne.Name} and {PharmacyTwo.Name}: {PharmacyOneIn.DeviceId} and {PharmacyTwoIn.DeviceId} received their totes");
        // The pack printed as safe to dispense is kept on the shelf: the demo never dispenses it.
        _safe ??= toOne.LastOrDefault(p => p.Lot == lots[0]);
        await PauseAsync(cancellationToken);

        DemoPack? recalled = null;
        if ((_recalled is null || cycle % 10 == 0) && toOne.LastOrDefault(p => p.Lot == lots[1]) is { } inRecalledLot)
        {
            recalled = inRecalledLot;
            await RecallAsync(recalled, cancellationToken);
        }

        await DispenseAsync(PharmacyOneTill, PharmacyOne, cancellationToken);
        await DispenseAsync(PharmacyTwoTill, PharmacyTwo, cancellationToken);
        if (recalled is not null)
        {
            await RefuseAtCounterAsync(recalled, cancellationToken);
        }

        if (_counterfeit is null || cycle % 5 == 0)
        {
            await CounterfeitAsync(new DemoPack(CounterfeitSerial(cycle), lots[0]), cancellationToken);
        }

        if (!_examplesPrinted)
        {
            PrintExamplesIfTrue();
        }
    }

    /// <summary>
    /// The pallet on the road. When the reefer is due to fail while it is on board, the truck waits it out, until the
    /// logger's report of the excursion reached the hub and the hub judged the packs: a compromised pallet, on purpose.
    /// </summary>
    private async Task TransitAsync(List<DemoPack> pallet, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var failure = Truck.Sensor!.Excursions
            .Select(e => (Start: _truckStarted + e.StartAfter, End: _truckStarted + e.EndAfter))
            .FirstOrDefault(w => w.End > now && w.Start < now + (settings.Pace * 3) + TimeSpan.FromSeconds(5));
        if (failure == default)
        {
            await PauseAsync(cancellationToken);
            Say($"{Truck.DeviceId}: on the road{Reading(Place.Container(Sscc()), ", trailer at ")}");
            return;
        }

        Say($"{Truck.DeviceId}: the trailer's reefer is failing; its logger will see up to {Truck.Sensor.Excursions[0].PeakCelsius:0} °C for about a minute");
        var judged = failure.End + Truck.Sensor.ReportWindow + TimeSpan.FromSeconds(2) - now;
        if (judged > TimeSpan.Zero)
        {
            await Task.Delay(judged, time, cancellationToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        VerificationResponse answer;
        while (!(answer = verifier.Answer(pallet[0].Key, null, null, null, time.GetUtcNow())).Reasons.Contains("cold_chain_compromised"))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, timeout.Token);
        }

        var exposure = answer.ColdChain?.Exposure;
        Say($"hub: the {pallet.Count} packs on {Truck.DeviceId} are cold-chain compromised ({string.Join(", ", answer.ColdChain?.Breaches ?? [])}; "
            + $"{(exposure?.OutOfRangeMinutes ?? 0) * 60:0} s out of 2-8 °C{Peak(failure.Start, failure.End)})");
    }

    private async Task RecallAsync(DemoPack example, CancellationToken cancellationToken)
    {
        var quality = _users.Of(UserRole.Quality).Name;
        var (made, refusal) = await recalls.OpenAsync(
            new LotRecallScope(example.Key.Gtin, example.Lot), $"demo: the supplier reports particles in lot {example.Lot}", quality, cancellationToken);
        if (made is null)
        {
            throw new InvalidOperationException($"recall of lot {example.Lot} refused: {refusal!.Title}: {refusal.Detail}");
        }

        var view = made.Result;
        Say($"Quality: {quality} opened recall {view.Id} of lot {example.Lot}: {view.Progress.Packs} packs at {view.Progress.Sites} sites, still dispensable {view.Progress.StillDispensable}");

        // The recall list reaches the pharmacy's till over its delivery connection, signed by the hub (PROTOCOL.md §5.6).
        var till = _stations[PharmacyOneTill.DeviceId];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (till.Recalls is not { Version: { } version } || version < made.Index)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, timeout.Token);
        }

        _recalled = (example, view.Id);
    }

    private async Task DispenseAsync(DemoStationPlan till, DemoSite site, CancellationToken cancellationToken)
    {
        var (fit, _) = Stock(site);
        List<DemoPack> dispensed = [.. fit.Where(p => p != _safe).Take(DispensedPerCycle)];
        if (dispensed.Count == 0)
        {
            return;
        }

        var signals = await ScanAsync(till, [.. dispensed.Select(p => p.Label)], cancellationToken);
        Say($"{site.Name}: {till.DeviceId} dispensed {signals.Count(s => s.StartsWith("green", StringComparison.Ordinal))} packs to patients{Reading(Place.Site(Site(site)), "; fridge at ")}");
    }

    private async Task RefuseAtCounterAsync(DemoPack pack, CancellationToken cancellationToken)
    {
        var signal = (await ScanAsync(PharmacyOneTill, [pack.Label], cancellationToken))[0];
        Say($"{PharmacyOne.Name}: {PharmacyOneTill.DeviceId} scanned a pack of lot {pack.Lot} at the counter: {signal} (from its signed recall list, no hub round trip)");
    }

    private async Task CounterfeitAsync(DemoPack fake, CancellationToken cancellationToken)
    {
        var signal = (await ScanAsync(PharmacyTwoTill, [fake.Label], cancellationToken))[0];
        var answer = verifier.Verify(fake.Label, Site(PharmacyTwo)).Answer!;
        Say($"{PharmacyTwo.Name}: a pack with serial {fake.Serial} was scanned at {PharmacyTwoTill.DeviceId} ({signal.Split(' ')[0]}); "
            + $"hub: verified {answer.Verified.ToString().ToLowerInvariant()}, {answer.Status} [{string.Join(", ", answer.Reasons)}]: not genuine, logged with a red verdict");
        _counterfeit = fake;
    }

    /// <summary>Prints the three example packs once each answers, through the verification code of <c>POST /v1/verify</c>, as printed.</summary>
    private void PrintExamplesIfTrue()
    {
        if (_safe is not { } safe || _recalled is not { } recalled || _counterfeit is not { } fake)
        {
            return;
        }

        DemoExample[] examples =
        [
            new("1. Safe to dispense", safe.Serial, safe.Lot, PharmacyOne,
                "verified true, status active: genuine, received here, cold chain kept (the demo never dispenses it)"),
            new("2. Recalled", recalled.Pack.Serial, recalled.Pack.Lot, PharmacyOne,
                $"verified false, status recalled, reasons [recalled] (recall {recalled.RecallId})"),
            new("3. Counterfeit", fake.Serial, fake.Lot, PharmacyTwo,
                "verified false, status unknown, reasons [unknown_serial]: never commissioned, not genuine"),
        ];
        var now = time.GetUtcNow();
        (bool Verified, string Status, string Reason)[] expected = [(true, "active", string.Empty), (false, "recalled", "recalled"), (false, "unknown", "unknown_serial")];
        for (var i = 0; i < examples.Length; i++)
        {
            foreach (var form in new[] { examples[i].Bracketed, examples[i].DigitalLink(now) })
            {
                var answer = verifier.Verify(form, Site(examples[i].Site)).Answer;
                if (answer is null || answer.Verified != expected[i].Verified || answer.Status != expected[i].Status
                    || (expected[i].Reason.Length > 0 && !answer.Reasons.Contains(expected[i].Reason)))
                {
                    Say($"example {examples[i].Title} is not ready yet ({answer?.Status} [{string.Join(", ", answer?.Reasons ?? [])}]); trying again next cycle");
                    return;
                }
            }
        }

        _console.Write(DemoBanner.Examples(settings, examples, _users.Of(UserRole.Pharmacist), now));
        _examplesPrinted = true;
    }

    /// <summary>The packs a site holds, split into those the hub would let it ship or dispense and the rest (with why not).</summary>
    private (List<DemoPack> Fit, List<(DemoPack Pack, string Reasons)> Held) Stock(DemoSite site)
    {
        var gln = Site(site);
        var now = time.GetUtcNow();
        return custody.Read((rules, _) =>
        {
            var fit = new List<DemoPack>();
            var held = new List<(DemoPack, string)>();
            foreach (var pack in rules.Packs.Where(p => p.Lifecycle == PackLifecycle.Active && p.Custodian == gln))
            {
                var answer = rules.Verify(pack.Key, null, null, gln, now);
                var demo = new DemoPack(pack.Key.Serial.Value, pack.Lot);
                if (answer.Verified)
                {
                    fit.Add(demo);
                }
                else
                {
                    held.Add((demo, string.Join(", ", answer.Reasons.Select(r => VerificationResponse.Code(r)))));
                }
            }

            return (fit, held);
        });
    }

    /// <summary>Scans at a station, waits for the hub's acknowledgements, and tells any red signal.</summary>
    private async Task<IReadOnlyList<string>> ScanAsync(DemoStationPlan plan, IReadOnlyList<string> scans, CancellationToken cancellationToken)
    {
        var station = _stations[plan.DeviceId];
        var signals = await station.ScanAsync(scans, cancellationToken);
        await station.WaitForAcksAsync(cancellationToken);
        foreach (var red in signals.Where(s => s.StartsWith("red", StringComparison.Ordinal) && scans.Count > 1))
        {
            Say($"{plan.DeviceId}: {red}");
        }

        return signals;
    }

    /// <summary>A dock batch as a dock worker scans it: the container's SSCC, the other party's GLN, the packs, the end code.</summary>
    private static IReadOnlyList<string> Batch(string sscc, string partyElement, IEnumerable<DemoPack> packs) =>
        [$"00{sscc}", partyElement, .. packs.Select(p => p.Label), "END"];

    private Task PauseAsync(CancellationToken cancellationToken) => Task.Delay(settings.Pace, time, cancellationToken);

    /// <summary>The latest reading the hub holds for a place, as text after <paramref name="lead"/>, or nothing.</summary>
    private string Reading(Place place, string lead) =>
        custody.Read((rules, _) => rules.Readings.TryGetValue(place, out var samples) && samples.Count > 0 ? samples[^1].Celsius : (decimal?)null) is { } celsius
            ? string.Create(CultureInfo.InvariantCulture, $"{lead}{celsius:0.0} °C")
            : string.Empty;

    private string Peak(DateTimeOffset from, DateTimeOffset to) =>
        custody.Read((rules, _) => rules.Readings.TryGetValue(Place.Container(Sscc()), out var samples)
            ? samples.Where(s => s.Time >= from && s.Time <= to).Select(s => (decimal?)s.Celsius).Max()
            : null) is { } peak
            ? string.Create(CultureInfo.InvariantCulture, $", peak {peak:0.0} °C")
            : string.Empty;

    private static Gln Site(DemoSite site) =>
        Gln.TryParse(site.Gln, out var gln, out var why) ? gln : throw new InvalidOperationException($"{site.Name}: {why}");

    private static Contracts.Gs1.Sscc Sscc() =>
        Contracts.Gs1.Sscc.TryParse(Trailer, out var sscc, out var why) ? sscc : throw new InvalidOperationException($"trailer: {why}");

    private void Say(string text) =>
        _console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{time.GetLocalNow():HH:mm:ss}  {text}"));
}
