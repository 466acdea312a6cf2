using System.Collections.Concurrent;
using SupplyChain.Agent.Recalls;
using SupplyChain.Contracts.Events;
using static SupplyChain.IntegrationTests.Scenario.Story;

namespace SupplyChain.IntegrationTests.Scenario;

/// <summary>
/// The end-to-end story of issue #5 ("Done when", second bullet) with the real hub and real stations as child processes:
/// a manufacturer line commissions 500 packs and ships two pallets; the distributor's dock receives them and ships a tote
/// on to a pharmacy; the distributor's fridge then has an excursion; the pharmacy receives the tote and dispenses; a copy
/// of a dispensed pack is presented at another pharmacy, and a counterfeit serial at the first. Each station serves the
/// roles a real site needs (Station:Roles) and switches with mode barcodes. The answers are checked against the story
/// and every proof bundle offline (<see cref="OfflineProofCheck"/>).
/// </summary>
/// <remarks>
/// The steps run in the order the hub must see them, each waiting for the hub's acks of the last, because custody
/// moves between devices: a receipt logged before its shipment would be an unexpected receipt. After the pharmacy's
/// receipt a quality person recalls lot B over the API; the pharmacy's station then refuses lot B packs from its
/// hub-signed recall list without asking the hub. The broker is the constructor's argument.
/// </remarks>
internal sealed class ColdChainScenario(ScenarioBroker broker, Action<string> log, string? postgres = null, bool twoHubs = false)
{
    /// <summary>The hub the quality person opens the recall at (and the only one, unless <c>twoHubs</c>).</summary>
    private ScenarioHub _hub = null!;

    /// <summary>
    /// The hub every answer is read from: with <c>twoHubs</c> a second instance on the same PostgreSQL database behind the
    /// same Mosquitto shared subscription (docs/OPERATIONS.md "Several hub instances"), so the stations' messages reach
    /// either instance and every answer must hold across them.
    /// </summary>
    private ScenarioHub _reader = null!;
    private ScenarioAgent _line = null!;
    private ScenarioAgent _dock = null!;
    private ScenarioAgent _till = null!;
    private ScenarioAgent _otherTill = null!;
    private ScenarioAgent _fridge = null!;
    private string _qualityToken = string.Empty;
    private string _recallId = string.Empty;

    /// <summary>The hub's cold-chain profile for the product: 2–8 °C, at most 3 s out of range in all and 2 s at once, and up
    /// to an hour without readings (the manufacturer, the trucks and the pharmacy have no sensors in this story).</summary>
    private static string[] ColdChainProfile =>
    [
        $"--ColdChain:Profiles:{Gtin}:LowerCelsius=2",
        $"--ColdChain:Profiles:{Gtin}:UpperCelsius=8",
        $"--ColdChain:Profiles:{Gtin}:AllowedOutOfRange=00:00:03",
        $"--ColdChain:Profiles:{Gtin}:MaxExcursion=00:00:02",
        $"--ColdChain:Profiles:{Gtin}:AllowedUnknown=01:00:00",
    ];

    /// <summary>With <c>twoHubs</c>, what makes an instance one of the group: its own client id and the shared group.</summary>
    private string[] Instance(string name) => twoHubs
        ?
        [
            $"--Broker:External:ClientId=scenario-hub-{name}",
            "--Broker:External:SharedGroup=scenario-hubs",
            "--Broker:External:SessionExpiry=00:00:02",
            "--Logging:LogLevel:SupplyChain.Hub.Log.IntegratorLease=Information",
        ]
        : [];

    /// <summary>The hub instances (one, or two with <c>twoHubs</c>).</summary>
    private ScenarioHub[] Hubs => _reader == _hub ? [_hub] : [_hub, _reader];

    /// <summary>
    /// With <c>twoHubs</c>: once the line has a fifth of its packs acknowledged, SIGKILLs the instance that integrates, waits
    /// until the other one has taken the lock over, and starts the killed one again (it rejoins as a follower). The story's
    /// answers and proofs afterwards must not show it.
    /// </summary>
    private async Task KillTheIntegratorAsync()
    {
        await ScenarioWait.Eventually(
            "a fifth of the line's packs acknowledged",
            async () => await _line.TryReadStatusAsync() is { LastAckSeq: >= Packs / 5 },
            () => $"outbox: {_line.LastStatus}",
            _hub.AssertRunning);
        await ScenarioWait.Eventually("an instance integrates", () => Task.FromResult(Hubs.Any(h => h.Integrates)), () => _hub.Output, _hub.AssertRunning);
        var leader = Hubs.First(h => h.Integrates);
        var survivor = Hubs.First(h => h != leader);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await leader.KillAsync();
        await ScenarioWait.Eventually("the other instance takes the lock over", () => Task.FromResult(survivor.Integrates), () => survivor.Output, survivor.AssertRunning);
        log($"integrator SIGKILLed at line seq {_line.LastStatus?.LastAckSeq}; the other instance integrates after {watch.Elapsed.TotalMilliseconds:F0} ms");
        await leader.RestartAsync();
    }

    public async Task RunAsync()
    {
        await using var hub = ScenarioHub.Create(postgres);
        await using var second = twoHubs ? ScenarioHub.Create(postgres) : null;
        await using var line = ScenarioAgent.Create("line-1", Manufacturer, "manufacturer", "--Station:Roles:0=commissioning", "--Station:Roles:1=dock-out");
        await using var dock = ScenarioAgent.Create("dock-1", Distributor, "warehouse", "--Station:Roles:0=dock-in", "--Station:Roles:1=dock-out");
        await using var till = ScenarioAgent.Create("till-1", Pharmacy, "pharmacy", "--Station:Roles:0=dock-in", "--Station:Roles:1=pharmacy");
        await using var otherTill = ScenarioAgent.Create("till-9", OtherPharmacy, "pharmacy", "--Station:Role=pharmacy");
        await using var fridge = ScenarioAgent.Create("fridge-1", Distributor, "sensor", "--Station:Role=storage", $"--Station:AssetGiai={Fridge}");
        (_hub, _line, _dock, _till, _otherTill, _fridge) = (hub, line, dock, till, otherTill, fridge);

        ScenarioAgent[] stations = [line, dock, till, otherTill, fridge];
        foreach (var station in stations)
        {
            await hub.EnrolAsync(station);
        }

        _qualityToken = await hub.AddUserAsync("qa-lead", "quality");
        log($"enrolled {stations.Length} stations and a quality user");
        await broker.PrepareAsync(hub.DataDirectory, [.. stations.Select(s => (s.DeviceId, s.Password))], postgres);
        await hub.StartAsync(broker, [.. ColdChainProfile, .. Instance("a")]);
        _reader = hub;
        if (second is not null)
        {
            second.ShareKeyOf(hub);
            await second.StartAsync(broker, [.. ColdChainProfile, .. Instance("b")]);
            _reader = second;
        }

        foreach (var station in stations.Where(s => s != fridge && s != till))
        {
            station.Start(broker);
        }

        // The pharmacy's till trusts the hub's key for the offline recall check and writes its signals to a file.
        till.Start(broker, $"--Delivery:HubKey={hub.VerifierKey}", $"--Feedback:SignalFile={till.SignalFile}");

        await Step("commission and ship", twoHubs ? () => Task.WhenAll(CommissionAndShipAsync(), KillTheIntegratorAsync()) : (Func<Task>)CommissionAndShipAsync);
        await Step("receive and ship on", ReceiveAndShipOnAsync);
        StartFridgeWithExcursion();
        await Step("receive at the pharmacy", ReceiveAtPharmacyAsync);
        await Step("recall lot B", RecallLotAsync);
        await Step("dispense", DispenseAsync);
        await Step("copy and counterfeit", PresentCopyAndCounterfeitAsync);
        await Step("excursion", WaitForExcursionAsync);
        await Step("verify every pack", CheckEveryAnswerAsync);
        if (postgres is not null && twoHubs)
        {
            var audit = await Broker.ExternalHub.CommandAsync("log", "audit", "--data", hub.DataDirectory, "--postgres", postgres);
            Assert.True(audit.Exit == 0, $"log audit --postgres: {audit.Output}{audit.Error}");
        }
    }

    private async Task Step(string name, Func<Task> step)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await step();
        log($"{name}: {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The line commissions every pack, switches to dock-out and ships both pallets to the distributor.</summary>
    private async Task CommissionAndShipAsync()
    {
        await _line.ScanAsync(
        [
            .. All.Select(Label),
            "MODE-DOCK-OUT",
            .. Batch(PalletOne, "410" + Distributor, OnPalletOne),
            .. Batch(PalletTwo, "410" + Distributor, OnPalletTwo),
        ]);
        await _line.WaitForAcksAsync(Packs + 2, _hub);
        await ExpectLogAsync(_line, "Station mode switched from commissioning to dock-out");
    }

    /// <summary>The dock receives both pallets (sender card AI 414), switches to dock-out and ships a tote to the pharmacy.</summary>
    private async Task ReceiveAndShipOnAsync()
    {
        await _dock.ScanAsync(
        [
            .. Batch(PalletOne, "414" + Manufacturer, OnPalletOne),
            .. Batch(PalletTwo, "414" + Manufacturer, OnPalletTwo),
            "MODE-DOCK-OUT",
            .. Batch(Tote, "410" + Pharmacy, ToPharmacy),
        ]);
        await _dock.WaitForAcksAsync(3, _hub);
        await ExpectLogAsync(_dock, "Station mode switched from dock-in to dock-out");
    }

    /// <summary>
    /// The fridge's sensor station starts once the tote has left, with a simulated excursion (a door left open: up to 15 °C
    /// over 10 s, above 8 °C for 7 s of them) 3 s after its sensor starts, so only the packs still at the distributor are there for it.
    /// </summary>
    private void StartFridgeWithExcursion()
    {
        _fridge.Start(
            broker,
            "--Sensors:Devices:0:Type=simulated",
            "--Sensors:Devices:0:Id=fridge-1-probe",
            "--Sensors:Devices:0:BaseCelsius=5",
            "--Sensors:Devices:0:Excursions:0:StartAfter=00:00:03",
            "--Sensors:Devices:0:Excursions:0:Duration=00:00:10",
            "--Sensors:Devices:0:Excursions:0:PeakCelsius=15",
            "--Sensors:Sampling:SampleInterval=00:00:01",
            "--Sensors:Sampling:ReportWindow=00:00:10");
    }

    /// <summary>The pharmacy's station, in its start mode dock-in, receives the tote from the distributor.</summary>
    private async Task ReceiveAtPharmacyAsync()
    {
        await _till.ScanAsync(Batch(Tote, "414" + Distributor, ToPharmacy));
        await _till.WaitForAcksAsync(1, _hub);
    }

    /// <summary>
    /// A quality person recalls lot B by API: 250 packs at two sites, none dispensable; the pharmacy's station receives
    /// its site's signed recall list (the 100 lot B packs it holds) on its delivery connection.
    /// </summary>
    private async Task RecallLotAsync()
    {
        var opened = await _hub.OpenRecallAsync(_qualityToken, new { type = "lot", gtin = Gtin, lot = RecalledLot }, "supplier notice: particles in lot B");
        _recallId = opened.RecallId;
        Assert.Equal("open", opened.Recall.Status);
        Assert.Equal("qa-lead", opened.Recall.OpenedBy);
        Assert.Equal(All.Count(IsRecalled), opened.Recall.Progress.Packs);
        Assert.Equal(0, opened.Recall.Progress.StillDispensable);
        Assert.Equal(
            [(Distributor, AtDistributor.Count(IsRecalled)), (Pharmacy, RecalledAtPharmacy.Count)],
            opened.Recall.Sites.Select(g => (g.Site, g.Count)).OrderBy(g => g.Site, StringComparer.Ordinal));

        RecallStatus? held = null;
        await ScenarioWait.Eventually(
            "the pharmacy's station holds the signed recall list",
            async () => (held = await _till.TryReadRecallsAsync()) is { Enabled: true, Refused: 0 } list && list.Version > opened.Index && list.Packs == RecalledAtPharmacy.Count,
            () => $"till's recall list: {held}\ntill said:\n{_till.Output}",
            _till.AssertRunning);
    }

    /// <summary>
    /// The pharmacy switches to dispensing and dispenses 25 packs of lot A; 25 packs of the recalled lot B scanned at the
    /// counter get a red signal from the station itself and no event. Then nothing of lot B has been dispensed.
    /// </summary>
    private async Task DispenseAsync()
    {
        await _till.ScanAsync(["MODE-PHARMACY", .. Dispensed.Select(Label), .. RefusedAtCounter.Select(Label)]);
        await _till.WaitForAcksAsync(1 + Dispensed.Count, _hub);
        await ExpectLogAsync(_till, "Station mode switched from dock-in to pharmacy");
        await ScenarioWait.Eventually(
            "a red signal for every recalled pack scanned at the counter",
            () => Task.FromResult(_till.Signals().Count(l => l.Contains($" red recalled ({_recallId})", StringComparison.Ordinal)) == RefusedAtCounter.Count),
            () => string.Join('\n', _till.Signals()));

        var recall = await _reader.RecallAsync(_qualityToken, _recallId);
        Assert.Equal(0, recall.Progress.StillDispensable);
        Assert.Equal(0, recall.Progress.DispensedBefore);
        Assert.Equal(0, recall.Progress.DispensedAfter);
    }

    /// <summary>A copy of a dispensed pack at the other pharmacy (a second dispense: suspect), and a counterfeit serial at the first.</summary>
    private async Task PresentCopyAndCounterfeitAsync()
    {
        await _otherTill.ScanAsync([Label(DispensedTwice)]);
        await _otherTill.WaitForAcksAsync(1, _hub);
        await _till.ScanAsync([Label(Counterfeit, Lot(0))]);
        await _till.WaitForAcksAsync(1 + Dispensed.Count + 1, _hub);
    }

    /// <summary>Waits until the fridge's readings reached the hub and the packs in it fail verification.</summary>
    private async Task WaitForExcursionAsync()
    {
        var probe = Serial(AtDistributor[0]);
        VerificationJson? last = null;
        await ScenarioWait.Eventually(
            "the fridge excursion compromises the packs at the distributor",
            // The compromise latches with the breaches seen when it happened (which ones depends on where the sensor's
            // report window split the excursion); the exposure keeps counting, so wait until all 7 s above 8 °C arrived.
            async () => (last = await _reader.VerifyAsync(Gtin, probe, Distributor)).Reasons.Contains("cold_chain_compromised")
                && last.ColdChain?.Exposure is { } exposure && exposure.OutOfRangeMinutes > 3.0 / 60,
            () => $"last answer: {last}, {last?.Custody}, {last?.ColdChain}, {last?.ColdChain?.Exposure}\nfridge said:\n{_fridge.Output}\noutbox: {_fridge.LastStatus}\nhub said:\n{_hub.Output}",
            _fridge.AssertRunning);
    }

    private async Task CheckEveryAnswerAsync()
    {
        var answers = await VerifyAllAsync();
        var proofs = new OfflineProofCheck(
            _hub.VerifierKey,
            new[] { _line, _dock, _till, _otherTill, _fridge }.ToDictionary(s => s.DeviceId, s => s.PublicKey),
            _reader.EntryAsync);

        foreach (var pack in Dispensed.Where(p => p != DispensedTwice))
        {
            var answer = answers[pack];
            Expect(answer, verified: false, "dispensed", ["already_dispensed"]);
            Assert.Equal(SiteUri(Pharmacy), answer.Custody!.DispensedAt);
            ExpectEvents(await proofs.CheckAsync(answer), Dispensing("till-1"));
        }

        var copied = answers[DispensedTwice];
        Expect(copied, verified: false, "suspect", ["already_dispensed", "suspect"]);
        ExpectEvents(await proofs.CheckAsync(copied), Dispensing("till-1"), Dispensing("till-9"));

        foreach (var pack in OnPharmacyShelf)
        {
            var answer = answers[pack];
            Expect(answer, verified: true, "active", []);
            Assert.Equal(SiteUri(Pharmacy), answer.Custody!.Custodian);
            Assert.Equal(SiteUri(Pharmacy), answer.Custody.Location);
            Assert.Equal(2, answer.Custody.Handoffs);
            Assert.True(answer.ColdChain!.Profiled);
            Assert.False(answer.ColdChain.Compromised);
            Assert.Equal(0, answer.ColdChain.Exposure!.OutOfRangeMinutes);
            ExpectEvents(await proofs.CheckAsync(answer));
        }

        foreach (var pack in RecalledAtPharmacy)
        {
            var answer = answers[pack];
            Expect(answer, verified: false, "recalled", ["recalled"]);
            Assert.Equal(SiteUri(Pharmacy), answer.Custody!.Custodian);
            Assert.Null(answer.Custody.DispensedAt);
            ExpectEvents(await proofs.CheckAsync(answer));
        }

        foreach (var pack in AtDistributor.Where(IsRecalled))
        {
            var answer = answers[pack];
            Assert.False(answer.Verified);
            Assert.Equal("recalled", answer.Status);
            Assert.Contains("recalled", answer.Reasons);
            Assert.Contains("cold_chain_compromised", answer.Reasons);
        }

        foreach (var pack in AtDistributor)
        {
            var answer = answers[pack];
            if (IsRecalled(pack))
            {
                Assert.True(answer.ColdChain!.Compromised);
            }
            else
            {
                Expect(answer, verified: false, "compromised", ["cold_chain_compromised"]);
            }

            Assert.Equal(SiteUri(Distributor), answer.Custody!.Custodian);
            // Past both limits (2 s at once, 3 s in all): the answer names both, whichever latched the compromise.
            Assert.Equal(["cumulative_out_of_range", "single_excursion"], answer.ColdChain!.Breaches);
            Assert.True(answer.ColdChain.Exposure!.OutOfRangeMinutes > 3.0 / 60);
            Assert.True(answer.ColdChain.Exposure!.LongestExcursionMinutes > 2.0 / 60);
            var events = await proofs.CheckAsync(answer);
            Assert.Equal(
                [(CustodyEventKind.Commissioning, "line-1"), (CustodyEventKind.Shipping, "line-1"), (CustodyEventKind.Receiving, "dock-1")],
                events.Select(e => (e.Kind, e.Device.DeviceId)));
        }

        // The same shelf pack is fine where it is and not anywhere else; the scan's lot is checked against the commissioned one.
        var shelf = OnPharmacyShelf[0];
        Expect(await _reader.VerifyAsync(Gtin, Serial(shelf), Distributor), verified: false, "active", ["not_received_at_this_site"]);
        Expect(await _reader.VerifyScanAsync(Label(shelf), Pharmacy), verified: true, "active", []);
        Expect(await _reader.VerifyScanAsync(Label(Serial(shelf), "LOTX99"), Pharmacy), verified: false, "active", ["lot_mismatch"]);

        var counterfeit = await _reader.VerifyScanAsync(Label(Counterfeit, Lot(0)), Pharmacy);
        Expect(counterfeit, verified: false, "unknown", ["unknown_serial"]);
        Assert.Null(counterfeit.Custody);
        var refused = Assert.Single(await proofs.CheckAsync(counterfeit));
        Assert.Equal((CustodyEventKind.Dispensing, "till-1"), (refused.Kind, refused.Device.DeviceId));

        Assert.True(proofs.BundlesChecked >= (Packs * 3) + (ToPharmacy.Count * 2) + Dispensed.Count + 2, $"{proofs.BundlesChecked} bundles checked");
        foreach (var station in new[] { _line, _dock, _till, _otherTill, _fridge })
        {
            station.AssertRunning();
            // The status endpoint answers within 5 s per try; on a loaded machine one try may not be enough.
            SupplyChain.Agent.Outbox.OutboxStatus? status = null;
            await ScenarioWait.Eventually($"{station.DeviceId} answers its status", async () => (status = await station.TryReadStatusAsync()) is not null, () => station.Output);
            Assert.Equal(0, status!.Rejected);
        }

        _hub.AssertRunning();
    }

    /// <summary>Every pack's answer at the site the story asks from (the pharmacy for its packs, the distributor for the rest), with no proof pending.</summary>
    private async Task<IReadOnlyDictionary<int, VerificationJson>> VerifyAllAsync()
    {
        var answers = new ConcurrentDictionary<int, VerificationJson>();
        await ScenarioWait.Eventually(
            "every answer with its proofs covered by a checkpoint",
            async () =>
            {
                var missing = All.Where(p => !answers.ContainsKey(p)).ToList();
                await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (pack, _) =>
                {
                    var answer = await _reader.VerifyAsync(Gtin, Serial(pack), ToPharmacy.Contains(pack) ? Pharmacy : Distributor);
                    if (answer.Proofs.All(p => !p.Pending))
                    {
                        answers[pack] = answer;
                    }
                });
                return answers.Count == Packs;
            },
            () => $"{Packs - answers.Count} answers have pending proofs\nhub said:\n{_hub.Output}",
            _hub.AssertRunning);
        return answers;
    }

    private static void Expect(VerificationJson answer, bool verified, string status, IReadOnlyList<string> reasons)
    {
        Assert.True(
            verified == answer.Verified && status == answer.Status && reasons.SequenceEqual(answer.Reasons),
            $"{answer.Pack}: expected verified={verified}, {status}, [{string.Join(", ", reasons)}]; got verified={answer.Verified}, {answer.Status}, [{string.Join(", ", answer.Reasons)}]");
    }

    /// <summary>The pack's events in log order: made by the line, the dock and the pharmacy, then <paramref name="after"/>.</summary>
    private static void ExpectEvents(IReadOnlyList<CustodyEvent> events, params (CustodyEventKind, string)[] after)
    {
        (CustodyEventKind, string)[] expected =
        [
            (CustodyEventKind.Commissioning, "line-1"),
            (CustodyEventKind.Shipping, "line-1"),
            (CustodyEventKind.Receiving, "dock-1"),
            (CustodyEventKind.Shipping, "dock-1"),
            (CustodyEventKind.Receiving, "till-1"),
            .. after,
        ];
        Assert.Equal(expected, events.Select(e => (e.Kind, e.Device.DeviceId)));
    }

    private static (CustodyEventKind, string) Dispensing(string device) => (CustodyEventKind.Dispensing, device);

    private static async Task ExpectLogAsync(ScenarioAgent station, string line) =>
        await ScenarioWait.Eventually($"{station.DeviceId} logs '{line}'", () => Task.FromResult(station.Output.Contains(line, StringComparison.Ordinal)), () => station.Output);
}
