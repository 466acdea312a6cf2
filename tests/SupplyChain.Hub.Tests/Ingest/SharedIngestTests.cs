using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Storage;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Tests.Ingest;

/// <summary>
/// One device's events reaching two hubs on one PostgreSQL database (docs/OPERATIONS.md "Several hub instances"): the
/// chain is decided by the shared store, a gap held by one hub is filled by the other hub's commit, and rival events for
/// one seq are not both logged. Two real hubs in this process, each with its own embedded broker and data directory.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class SharedIngestTests(PostgresCluster cluster)
{
    [Fact]
    public async Task TwoHubs_NextSeqReachesTheOtherHubFirst_HeldThenAcceptedOnceTheFirstHubLoggedTheMissingOne()
    {
        var (one, two, device) = await StartTwoAsync();
        await using var hubOne = one;
        await using var hubTwo = two;
        using var _ = device;
        await using var toOne = await MqttDevice.ConnectAsync(one.BrokerPort, device);
        await using var toTwo = await MqttDevice.ConnectAsync(two.BrokerPort, device);
        var first = device.Next(1);
        var second = device.Next(2);

        // Hub two cannot place seq 1 yet: it holds it (no ack), as a single hub does.
        await toTwo.PublishAsync(EventMessage.Encode(second));
        Assert.True(await toTwo.NoAckWithinAsync(TimeSpan.FromMilliseconds(500)));

        // Hub one logs seq 0; hub two sees the stored head move and logs seq 1 without any resend.
        await toOne.PublishAsync(EventMessage.Encode(first));
        var firstAck = Assert.Single((await toOne.NextAckAsync()).Acks);
        var secondAck = Assert.Single((await toTwo.NextAckAsync()).Acks);

        Assert.Equal((AckStatus.Accepted, first.EventId.ToString()), (firstAck.Status, firstAck.EventId));
        Assert.Equal((AckStatus.Accepted, second.EventId.ToString()), (secondAck.Status, secondAck.EventId));
        Assert.True(firstAck.Index < secondAck.Index);
        Assert.False(secondAck.Duplicate);
    }

    [Fact]
    public async Task TwoHubs_RivalEventsForOneSeq_OneLoggedTheOtherChainForkAtEitherHub()
    {
        var (one, two, device) = await StartTwoAsync();
        await using var hubOne = one;
        await using var hubTwo = two;
        using var _ = device;
        await using var toOne = await MqttDevice.ConnectAsync(one.BrokerPort, device);
        await using var toTwo = await MqttDevice.ConnectAsync(two.BrokerPort, device);
        var original = device.Make(0, EventId.None, pack: 1);
        var rival = device.Make(0, EventId.None, pack: 2);

        // Each hub's memory says "next" for its event (neither has seen the device); the store takes one chain only.
        await Task.WhenAll(toOne.PublishAsync(EventMessage.Encode(original)), toTwo.PublishAsync(EventMessage.Encode(rival)));
        var acks = new[] { Assert.Single((await toOne.NextAckAsync()).Acks), Assert.Single((await toTwo.NextAckAsync()).Acks) };

        Assert.Single(acks, a => a.Status == AckStatus.Accepted);
        Assert.Equal(RejectReason.ChainFork, Assert.Single(acks, a => a.Status != AckStatus.Accepted).Reason);
        var logged = new[] { original, rival }.Count(e => one.Service<LogReader>().IndexOfDeviceEvent(e) is not null);
        Assert.Equal(1, logged);

        // The loser's hub follows the stored chain: the device's next event after the winner is accepted there.
        var winner = acks[0].Status == AckStatus.Accepted ? original : rival;
        var next = device.Make(1, winner.EventId, pack: 3);
        await (acks[0].Status == AckStatus.Accepted ? toTwo : toOne).PublishAsync(EventMessage.Encode(next));
        var nextAck = Assert.Single((await (acks[0].Status == AckStatus.Accepted ? toTwo : toOne).NextAckAsync()).Acks);
        Assert.Equal(AckStatus.Accepted, nextAck.Status);
    }

    /// <summary>Two hubs on a fresh database with one hub key, and a device enrolled through the first.</summary>
    private async Task<(RunningHub One, RunningHub Two, TestDevice Device)> StartTwoAsync()
    {
        var connection = await cluster.NewDatabaseAsync();
        string[] storage = ["--Storage:Backend=Postgres", $"--Storage:ConnectionString={connection}", "--Ingest:GapTimeout=00:00:30"];
        var one = await RunningHub.StartAsync(null, storage);
        var directory = Directory.CreateTempSubdirectory("coldtrace-hub-").FullName;
        File.Copy(Path.Combine(one.DataDirectory, HubSigningKey.FileName), Path.Combine(directory, HubSigningKey.FileName));
        var two = await RunningHub.StartAsync(directory, storage);
        var device = new TestDevice("pharmacy-1");
        var result = await one.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error);
        return (one, two, device);
    }
}
