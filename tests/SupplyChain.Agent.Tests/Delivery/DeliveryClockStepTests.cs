using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Delivery;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Tests.Outbox;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Tests.Delivery;

/// <summary>
/// Delivery's deadlines when the wall clock is stepped (issue #7 "clock jumps"): ack deadlines, resend pauses, status
/// reports and the outage length run on the monotonic clock, so a step of months either way changes nothing.
/// </summary>
public sealed class DeliveryClockStepTests : IAsyncLifetime, IDisposable
{
    private const string Password = "s3cret-for-dock-7";
    private static readonly TimeSpan Months = TimeSpan.FromDays(120);
    private readonly OutboxFixture _outbox = new();
    private readonly HubBroker _hub;
    private readonly DeliveryState _state = new();
    private readonly SteppedWallClock _clock = new();
    private DeliveryService? _service;

    public DeliveryClockStepTests() => _hub = new HubBroker(_outbox.Identity.DeviceId, Password);

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
    public async Task Deliver_WallClockSteppedBackWhileUnanswered_ResentAfterAckTimeout()
    {
        _hub.Answer = (_, seen) => seen == 1 ? null : AckStatus.Accepted.ToString();
        AppendShips(3);
        await StartAsync(o => o.AckTimeout = TimeSpan.FromSeconds(1));
        await Eventually(() => _hub.Arrivals.Count == 3);

        // Past the PUBACK, so the ack deadline is set before the step.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        _clock.Step(-Months);

        await Eventually(() => Status().PendingCustody == 0);
        Assert.Equal([0, 1, 2, 0, 1, 2], _hub.Arrivals);
    }

    [Fact]
    public async Task Deliver_WallClockSteppedForwardWhileUnanswered_NotResentBeforeAckTimeout()
    {
        _hub.Answer = (_, _) => null;
        AppendShips(3);
        await StartAsync(o => o.AckTimeout = TimeSpan.FromSeconds(20));
        await Eventually(() => _hub.Arrivals.Count == 3);
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        _clock.Step(Months);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal([0, 1, 2], _hub.Arrivals);
        Assert.Equal(0, _state.Current.ResentThisRun);
    }

    [Fact]
    public async Task Status_WallClockSteppedBack_StillPublishedEveryInterval()
    {
        AppendShips(1);
        await StartAsync(o => o.StatusInterval = TimeSpan.FromMilliseconds(200), () => StatusOf(Status()));
        await Eventually(() => _hub.Statuses.Count >= 2);

        _clock.Step(-Months);
        var before = _hub.Statuses.Count;

        await Eventually(() => _hub.Statuses.Count >= before + 3);
    }

    [Fact]
    public async Task Deliver_ShortOutageWithClockSteppedForward_NotDrained()
    {
        AppendShips(1);
        await StartAsync(o => o.DrainAfter = TimeSpan.FromMinutes(10));
        await Eventually(() => Status().PendingCustody == 0 && _state.Current is { Connected: true, Draining: false });
        var drainsBefore = _state.Current.DrainsThisRun;

        // The step comes after the service has noted when the connection was lost.
        await _hub.StopAsync();
        await Eventually(() => !_state.Current.Connected);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        _clock.Step(Months);
        AppendShips(2);
        await _hub.StartAsync();

        await Eventually(() => Status().PendingCustody == 0 && _state.Current.Connected);
        Assert.Equal(drainsBefore, _state.Current.DrainsThisRun);
    }

    [Fact]
    public async Task Deliver_LongOutageWithClockSteppedBack_Drained()
    {
        AppendShips(1);
        await StartAsync(o => o.DrainAfter = TimeSpan.FromMilliseconds(300));
        await Eventually(() => Status().PendingCustody == 0 && _state.Current is { Connected: true, Draining: false });
        var drainsBefore = _state.Current.DrainsThisRun;

        await _hub.StopAsync();
        await Eventually(() => !_state.Current.Connected);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        _clock.Step(-Months);
        AppendShips(2);
        await Task.Delay(TimeSpan.FromMilliseconds(800));
        await _hub.StartAsync();

        await Eventually(() => Status().PendingCustody == 0 && _state.Current.DrainsThisRun == drainsBefore + 1);
    }

    private OutboxStatus Status() => _outbox.Outbox.ReadStatus();

    private StationStatus StatusOf(OutboxStatus outbox) => new()
    {
        Device = _outbox.Identity.DeviceId,
        Time = _clock.GetUtcNow(),
        ClockSynced = false,
        CustodyBacklog = outbox.PendingCustody,
        SensorBacklog = outbox.SensorBacklog,
        OldestWaiting = outbox.OldestUnacked,
        Rejected = outbox.Rejected,
        SensorFaults = [],
        AgentVersion = "test",
    };

    private void AppendShips(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(AppendStatus.Appended, _outbox.AppendShip($"S{Guid.NewGuid():N}"[..10]).Status);
        }
    }

    private async Task StartAsync(Action<DeliveryOptions> configure, Func<StationStatus>? readStatus = null)
    {
        var options = new DeliveryOptions
        {
            Host = "127.0.0.1",
            Port = _hub.Port,
            Password = Password,
            AckTimeout = TimeSpan.FromSeconds(30),
            BackoffInitial = TimeSpan.FromMilliseconds(100),
            BackoffMax = TimeSpan.FromMilliseconds(300),
            DrainAfter = TimeSpan.FromDays(1),
            PollInterval = TimeSpan.FromMilliseconds(50),
        };
        configure(options);
        Assert.True(new DeliveryOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(DeviceId.TryParse(_outbox.Identity.DeviceId, out var device, out _));
        _service = new DeliveryService(
            _outbox.Outbox, Options.Create(options), device, _state, _clock, new Random(7), NullLogger<DeliveryService>.Instance, readStatus: readStatus);
        await _service.StartAsync(CancellationToken.None);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
