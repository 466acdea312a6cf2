using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Delivery;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Tests.Outbox;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Tests.Delivery;

/// <summary>The delivery service against a real MQTTnet broker that plays the hub, with a real outbox file.</summary>
public sealed class DeliveryServiceTests : IAsyncLifetime, IDisposable
{
    private const string Password = "s3cret-for-dock-7";
    private readonly OutboxFixture _outbox = new();
    private readonly HubBroker _hub;
    private readonly DeliveryState _state = new();
    private DeliveryService? _service;

    public DeliveryServiceTests() => _hub = new HubBroker(_outbox.Identity.DeviceId, Password);

    public Task InitializeAsync() => _hub.StartAsync();

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.StopAsync(CancellationToken.None);
        }

        await _hub.DisposeAsync();
    }

    // xUnit calls this after DisposeAsync.
    public void Dispose()
    {
        _service?.Dispose();
        _outbox.Dispose();
    }

    [Fact]
    public async Task Deliver_ManyEvents_PublishedInSeqOrderInBatches()
    {
        AppendShips(10);
        await StartAsync(o => o.MaxEnvelopesPerMessage = 3);

        // The delivery state is updated just after the outbox, so wait for both.
        await Eventually(() => Status().PendingCustody == 0 && _state.Current.LastAckLogIndex == 9);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), _hub.Arrivals);
        Assert.All(_hub.MessageSizes, size => Assert.InRange(size, 1, 3));
        Assert.Equal(9, Status().LastAckSeq);
        Assert.True(_state.Current.Connected);
        Assert.Equal(9, _state.Current.LastAckLogIndex);
    }

    // Issue #7 item 3: a silently dead path is noticed within PublishTimeout + KeepAlive only if CONNECT carries the
    // configured keep-alive (it was MQTTnet's implicit default before Delivery:KeepAlive existed).
    [Fact]
    public async Task Connect_KeepAliveConfigured_AskedForInConnect()
    {
        await StartAsync(o => o.KeepAlive = TimeSpan.FromSeconds(7));

        await Eventually(() => _state.Current.Connected);

        Assert.Equal(7, _hub.KeepAliveSeconds);
    }

    [Fact]
    public async Task Status_Reader_PublishedRetainedOnConnectThenEveryInterval()
    {
        var reads = 0;
        AppendShips(2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await StartAsync(o => o.StatusInterval = TimeSpan.FromMilliseconds(300), () => StatusOf(Interlocked.Increment(ref reads), Status()));

        await Eventually(() => _hub.Statuses.Count >= 3 && Status().PendingCustody == 0);

        var statuses = _hub.Statuses;
        Assert.All(statuses, s => Assert.True(s.Retained));
        Assert.Equal(_outbox.Identity.DeviceId, statuses[0].Status.Device);

        // The first report went out on connect, before the two events were acked; later ones follow the interval.
        Assert.Equal(2, statuses[0].Status.CustodyBacklog);
        Assert.Equal([1L, 2L, 3L], statuses.Take(3).Select(s => s.Status.Rejected));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Status_BrokerRefusesIt_EventsStillDelivered()
    {
        _hub.RefuseStatus = true;
        AppendShips(3);
        await StartAsync(o => o.StatusInterval = TimeSpan.FromMilliseconds(100), () => StatusOf(0, Status()));

        await Eventually(() => Status().PendingCustody == 0);
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.Empty(_hub.Statuses);
        Assert.Equal([0, 1, 2], _hub.Arrivals);
        Assert.True(_state.Current.Connected);
    }

    [Fact]
    public async Task Status_NoReader_NothingOnTheStatusTopic()
    {
        AppendShips(1);
        await StartAsync(o => o.StatusInterval = TimeSpan.FromMilliseconds(50));

        await Eventually(() => Status().PendingCustody == 0);
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        Assert.Empty(_hub.Statuses);
    }

    // The reader's call number goes in "rejected", so the test can see each report is a fresh reading.
    private StationStatus StatusOf(int call, OutboxStatus outbox) => new()
    {
        Device = _outbox.Identity.DeviceId,
        Time = DateTimeOffset.UnixEpoch,
        ClockSynced = true,
        CustodyBacklog = outbox.PendingCustody,
        SensorBacklog = outbox.SensorBacklog,
        OldestWaiting = outbox.OldestUnacked,
        Rejected = call,
        SensorFaults = [],
        AgentVersion = "test",
    };

    [Fact]
    public async Task Deliver_HubSilent_NoMoreThanTheWindowInFlightThenResentInOrder()
    {
        var answering = 0;
        _hub.Answer = (_, _) => Volatile.Read(ref answering) == 1 ? AckStatus.Accepted.ToString() : null;
        AppendShips(5);
        await StartAsync(o =>
        {
            o.MaxInFlightMessages = 2;
            o.MaxEnvelopesPerMessage = 1;
            o.AckTimeout = TimeSpan.FromSeconds(4);
        });

        await Eventually(() => _hub.Arrivals.Count == 2);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Volatile.Write(ref answering, 1);
        await Eventually(() => Status().PendingCustody == 0);

        // Two messages, then silence until their deadline; then from seq 0 again, two at a time as answers arrive.
        Assert.Equal([0, 1, 0, 1, 2, 3, 4], _hub.Arrivals);
    }

    [Fact]
    public async Task Deliver_NoAck_ResentInOrderAfterDeadline()
    {
        _hub.Answer = (_, seen) => seen == 1 ? null : AckStatus.Accepted.ToString();
        AppendShips(3);
        await StartAsync(o => o.AckTimeout = TimeSpan.FromSeconds(1));

        await Eventually(() => Status().PendingCustody == 0);

        Assert.Equal([0, 1, 2, 0, 1, 2], _hub.Arrivals);
        Assert.Equal(3, _hub.LoggedCount);
        Assert.Equal(3, _state.Current.ResentThisRun);
    }

    [Fact]
    public async Task Deliver_BadSignatureRejection_MarkedRejectedAndNotResent()
    {
        _hub.Answer = (seq, _) => seq == 1 ? RejectReason.BadSignature : AckStatus.Accepted.ToString();
        AppendShips(3);
        await StartAsync(o => o.AckTimeout = TimeSpan.FromMilliseconds(500));

        await Eventually(() => Status() is { PendingCustody: 0, Rejected: 1 });

        // One more event, delivered after several ack deadlines have passed: seq 1 has still arrived only once. This
        // hub logged seq 2 in the same message, so the chain goes on from it: no restart, the next event is seq 3.
        await Task.Delay(TimeSpan.FromSeconds(1));
        AppendShips(1);
        await Eventually(() => Status() is { PendingCustody: 0, LastAckSeq: 3 });
        Assert.Single(_hub.Arrivals, seq => seq == 1);
        Assert.Equal(1, _state.Current.RejectedThisRun);
    }

    [Fact]
    public async Task Deliver_FinalRejectionMidChain_NewChainSentOnlyAfterEarlierEventsAnswered()
    {
        // Seq 0's first copy goes unanswered; seq 1 is rejected for good; the hub holds 2 and 3 (their prev is the
        // rejected event) and never answers them, as the real hub does until chain_gap.
        _hub.Answer = (seq, seen) => seq switch
        {
            0 when seen == 1 => null,
            1 => RejectReason.BadEvent,
            2 or 3 => null,
            _ => AckStatus.Accepted.ToString(),
        };
        AppendShips(4);
        await StartAsync(o =>
        {
            o.MaxEnvelopesPerMessage = 1;
            o.AckTimeout = TimeSpan.FromSeconds(1);
        });

        await Eventually(() => Status() is { PendingCustody: 0, Rejected: 1 });

        var arrivals = _hub.Arrivals;
        var events = _hub.Events;
        Assert.Single(arrivals, seq => seq == 1);
        Assert.Equal([4L, 5L], arrivals.Where(seq => seq >= 4).Distinct());
        Assert.True(arrivals.ToList().IndexOf(4) > arrivals.ToList().LastIndexOf(0), string.Join(",", arrivals));
        var restart = events.First(e => e.Device.Seq == 4);
        Assert.True(restart.Device.Prev.IsNone);
        Assert.Equal(events.First(e => e.Device.Seq == 2).Epcs, restart.Epcs);
        Assert.Equal(events.First(e => e.Device.Seq == 3).Epcs, events.First(e => e.Device.Seq == 5).Epcs);
        Assert.Equal(4, Status().LastAckSeq - 1);
        Assert.Equal(RejectReason.BadEvent, Assert.Single(_outbox.Outbox.ReadRejected()).Reason);
    }

    [Fact]
    public async Task Deliver_EveryEventRejected_EachMessageRejectedOnceAndNothingLeft()
    {
        _hub.Answer = (_, _) => RejectReason.DeviceRevoked;
        AppendShips(6);
        await StartAsync(o => o.MaxEnvelopesPerMessage = 3);

        await Eventually(() => Status() is { PendingCustody: 0, Rejected: 6 } && _state.Current.RejectedThisRun == 6);

        // Both messages went out before the first answer, or the second was re-signed after it: never more than 6 + 3.
        Assert.InRange(_hub.Arrivals.Count, 6, 9);
    }

    [Theory]
    [InlineData(RejectReason.ChainGap)]
    [InlineData(RejectReason.HubUnavailable)]
    public async Task Deliver_ResendReason_ResentFromThatSeqAndAccepted(string reason)
    {
        _hub.Answer = (seq, seen) => seq == 1 && seen == 1 ? reason : AckStatus.Accepted.ToString();
        AppendShips(3);
        await StartAsync(o => o.BackoffInitial = TimeSpan.FromMilliseconds(100));

        await Eventually(() => Status().PendingCustody == 0);

        Assert.Equal(0, Status().Rejected);
        Assert.Equal(2, _hub.Arrivals.Count(seq => seq == 1));
        Assert.Equal([0, 1, 2], _hub.Arrivals.Distinct());
        var resent = _hub.Arrivals.Skip(3).ToList();
        Assert.Equal(resent.Order(), resent);
        Assert.Equal(3, _hub.LoggedCount);
    }

    [Fact]
    public async Task Deliver_BrokerStoppedAndRestarted_ReconnectsAndDeliversEverythingOnce()
    {
        AppendShips(5);
        await StartAsync(o => o.BackoffMax = TimeSpan.FromMilliseconds(400));
        await Eventually(() => Status().PendingCustody == 0);

        await _hub.StopAsync();
        await Eventually(() => !_state.Current.Connected);
        AppendShips(5);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(5, Status().PendingCustody);
        await _hub.StartAsync();

        await Eventually(() => Status().PendingCustody == 0);
        Assert.Equal(9, Status().LastAckSeq);
        Assert.Equal(0, Status().Rejected);
        Assert.Equal(10, _hub.LoggedCount);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), _hub.Arrivals.Distinct());
        Assert.True(_state.Current.Connected);
    }

    [Fact]
    public async Task Deliver_AfterLongOutage_DrainsPacedThenReturnsToFullRate()
    {
        AppendShips(1);
        await StartAsync(o =>
        {
            o.DrainAfter = TimeSpan.FromMilliseconds(200);
            o.DrainMessagesPerSecond = 20;
            o.MaxEnvelopesPerMessage = 1;
        });
        await Eventually(() => Status().PendingCustody == 0);
        var drainsBefore = _state.Current.DrainsThisRun;

        await _hub.StopAsync();
        await Eventually(() => !_state.Current.Connected);
        AppendShips(6);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await _hub.StartAsync();

        await Eventually(() => Status().PendingCustody == 0 && !_state.Current.Draining);
        Assert.Equal(drainsBefore + 1, _state.Current.DrainsThisRun);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), _hub.Arrivals);
    }

    [Fact]
    public async Task Deliver_RestartedWhileTheBrokerIsDown_OldBacklogStillDrainsPaced()
    {
        // An agent restarted during a long outage: its own run has been down only briefly (the monotonic clock), but the
        // events waiting are old (their wall time). The first connection of the run must judge by the events: the first
        // failed attempt used to start the run's outage clock, so the backlog went out unpaced (found by the day-offline
        // integration test once the drain got fast).
        AppendShips(5);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await _hub.StopAsync();
        await StartAsync(o =>
        {
            o.DrainAfter = TimeSpan.FromSeconds(1);
            o.DrainMessagesPerSecond = 20;
            o.MaxEnvelopesPerMessage = 1;
        });
        await Eventually(() => _state.Current.ConnectAttempts >= 1);
        await _hub.StartAsync();

        await Eventually(() => Status().PendingCustody == 0 && !_state.Current.Draining);
        Assert.Equal(1, _state.Current.DrainsThisRun);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), _hub.Arrivals);
    }

    [Fact]
    public async Task Deliver_WrongPassword_NotConnectedAndEventsKept()
    {
        AppendShips(2);
        await StartAsync(o => o.Password = "wrong");

        await Eventually(() => _state.Current.ConnectAttempts >= 2);

        Assert.False(_state.Current.Connected);
        Assert.NotNull(_state.Current.LastError);
        Assert.Equal(2, Status().PendingCustody);
        Assert.Empty(_hub.Arrivals);
    }

    private OutboxStatus Status() => _outbox.Outbox.ReadStatus();

    private void AppendShips(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(AppendStatus.Appended, _outbox.AppendShip($"S{Guid.NewGuid():N}"[..10]).Status);
        }
    }

    private async Task StartAsync(Action<DeliveryOptions>? configure = null, Func<StationStatus>? readStatus = null)
    {
        var options = new DeliveryOptions
        {
            Host = "127.0.0.1",
            Port = _hub.Port,
            Password = Password,
            AckTimeout = TimeSpan.FromSeconds(30),
            BackoffInitial = TimeSpan.FromMilliseconds(100),
            BackoffMax = TimeSpan.FromMilliseconds(500),
            DrainAfter = TimeSpan.FromDays(1),
            PollInterval = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        Assert.True(new DeliveryOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(DeviceId.TryParse(_outbox.Identity.DeviceId, out var device, out _));
        _service = new DeliveryService(
            _outbox.Outbox, Options.Create(options), device, _state, TimeProvider.System, new Random(7), NullLogger<DeliveryService>.Instance, readStatus: readStatus);
        await _service.StartAsync(CancellationToken.None);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
