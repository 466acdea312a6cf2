using System.Text;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Tests.Ingest;

/// <summary>The real hub with its embedded broker; devices are real MQTTnet clients on loopback.</summary>
public sealed class IngestTests
{
    [Fact]
    public async Task Publish_GoodEvent_AcceptedWithTheLogIndexOfItsEnvelope()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var envelope = device.Next();

        var puback = await mqtt.PublishAsync(EventMessage.Encode(envelope));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, puback);
        Assert.Equal(AckStatus.Accepted, ack.Status);
        Assert.Equal(envelope.EventId.ToString(), ack.EventId);
        // TestDevice's pharmacy dispenses a pack nobody commissioned: logged all the same, with the rules' red verdict.
        Assert.Equal(("red", "UnknownPack"), (ack.Verdict, ack.Detail));
        Assert.False(ack.Duplicate);
        var entry = hub.Service<LogReader>().Entry(ack.Index!.Value);
        Assert.NotNull(entry);
        Assert.Equal([(byte)LogLeafKind.DeviceEvent, .. EnvelopeCodec.Encode(envelope)], entry.Leaf);
        Assert.Equal(ack.Index, hub.Service<LogReader>().IndexOfDeviceEvent(envelope));
    }

    [Fact]
    public async Task Publish_SameEnvelopeTwice_SameIndexSecondIsDuplicate()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var message = EventMessage.Encode(device.Next());

        await mqtt.PublishAsync(message);
        var first = Assert.Single((await mqtt.NextAckAsync()).Acks);
        await mqtt.PublishAsync(message);
        var second = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(AckStatus.Accepted, second.Status);
        Assert.Equal(first.Index, second.Index);
        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
    }

    [Fact]
    public async Task Publish_Batch_EveryEventAcceptedInOrder()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        Envelope[] envelopes = [device.Next(1), device.Next(2), device.Next(3)];

        await mqtt.PublishAsync(EventMessage.EncodeBatch(envelopes));
        var acks = await mqtt.AcksAsync(3);

        Assert.Equal(envelopes.Select(e => e.EventId.ToString()), acks.Select(a => a.EventId));
        Assert.All(acks, ack => Assert.Equal(AckStatus.Accepted, ack.Status));
        Assert.True(acks[0].Index < acks[1].Index && acks[1].Index < acks[2].Index);
    }

    [Fact]
    public async Task Publish_BatchWithOneBadElement_OthersStillAccepted()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var first = EventMessage.Encode(device.Next(1));
        var second = EventMessage.Encode(device.Next(2));
        byte[] message = [(byte)'[', .. first, .. ",{\"payload\":1}"u8, (byte)',', .. second, (byte)']'];

        await mqtt.PublishAsync(message);
        var acks = await mqtt.AcksAsync(3);

        Assert.Equal([AckStatus.Accepted, AckStatus.Rejected, AckStatus.Accepted], acks.Select(a => a.Status));
        Assert.Equal(RejectReason.MalformedEnvelope, acks[1].Reason);
        Assert.Null(acks[1].EventId);
    }

    [Fact]
    public async Task Publish_ForgedSignature_RejectedBadSignature()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var genuine = device.Next();
        var signature = genuine.Signatures[0].Signature.ToArray();
        signature[10] ^= 0x01;
        var forged = new Envelope(genuine.PayloadType, genuine.Payload.Span, [new EnvelopeSignature(genuine.Signatures[0].KeyId, signature)]);

        await mqtt.PublishAsync(EventMessage.Encode(forged));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(AckStatus.Rejected, ack.Status);
        Assert.Equal(RejectReason.BadSignature, ack.Reason);
        Assert.Equal(genuine.EventId.ToString(), ack.EventId);
        Assert.Null(hub.Service<LogReader>().IndexOfDeviceEvent(genuine));
    }

    [Fact]
    public async Task Inject_AnotherDevicesEventOnBsTopic_RejectedUnknownKey()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = await EnrolAsync(hub, "device-a");
        using var b = await EnrolAsync(hub, "device-b");
        await using var mqttB = await MqttDevice.ConnectAsync(hub.BrokerPort, b);
        var fromA = a.Next();

        // As if the broker's ACL had been bypassed: the hub itself still refuses A's key on B's topic.
        await hub.Service<IngestQueue>().EnqueueAsync(MqttDevice.DeviceIdOf(b.Id), EventMessage.Encode(fromA), CancellationToken.None);
        var ack = Assert.Single((await mqttB.NextAckAsync()).Acks);

        Assert.Equal(RejectReason.UnknownKey, ack.Reason);
        Assert.Null(hub.Service<LogReader>().IndexOfDeviceEvent(fromA));
    }

    [Fact]
    public async Task Publish_EventNamingAnotherDevice_RejectedDeviceMismatch()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);

        await mqtt.PublishAsync(EventMessage.Encode(device.Make(0, EventId.None, deviceId: "pharmacy-2")));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(RejectReason.DeviceMismatch, ack.Reason);
    }

    [Fact]
    public async Task Publish_OversizedMessage_RejectedTooLarge()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var message = Encoding.UTF8.GetBytes($"{{\"payload\":\"{new string('A', 300 * 1024)}\"}}");

        await mqtt.PublishAsync(message);
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(RejectReason.TooLarge, ack.Reason);
        Assert.Equal(nameof(EventMessageError.TooLarge), ack.Detail);
    }

    [Fact]
    public async Task Publish_EnvelopeOverTheEnvelopeLimit_RejectedTooLargeNamingTheEvent()
    {
        await using var hub = await RunningHub.StartAsync(null, "--Ingest:MaxEnvelopeBytes=1024");
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var envelope = device.Next();
        Assert.True(EnvelopeCodec.Encode(envelope).Length > 1024);

        await mqtt.PublishAsync(EventMessage.Encode(envelope));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(RejectReason.TooLarge, ack.Reason);
        // The agent can only drop (not resend forever) an event whose rejection names it.
        Assert.Equal(envelope.EventId.ToString(), ack.EventId);
    }

    [Theory]
    [InlineData("{\"payload\":")]
    [InlineData("not json")]
    [InlineData("42")]
    [InlineData("[]")]
    [InlineData("{\"payloadType\":\"x\"}")]
    public async Task Publish_MalformedMessage_RejectedMalformedEnvelope(string message)
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);

        await mqtt.PublishAsync(Encoding.UTF8.GetBytes(message));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(AckStatus.Rejected, ack.Status);
        Assert.Equal(RejectReason.MalformedEnvelope, ack.Reason);
    }

    [Fact]
    public async Task Publish_SignedPayloadThatIsNoEvent_RejectedBadEvent()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var envelope = device.Signer.Sign("{\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\"}"u8, EventVocabulary.PayloadType);

        await mqtt.PublishAsync(EventMessage.Encode(envelope));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(RejectReason.BadEvent, ack.Reason);
        Assert.False(string.IsNullOrEmpty(ack.Detail));
    }

    [Fact]
    public async Task Publish_OtherPayloadType_RejectedWrongPayloadType()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);

        await mqtt.PublishAsync(EventMessage.Encode(device.Signer.Sign("hello"u8, "text/plain")));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(RejectReason.WrongPayloadType, ack.Reason);
    }

    [Fact]
    public async Task Publish_SeqGapThenFilled_HeldThenBothAcceptedInOrder()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var first = device.Next(1);
        var second = device.Next(2);

        await mqtt.PublishAsync(EventMessage.Encode(second));
        Assert.True(await mqtt.NoAckWithinAsync(TimeSpan.FromMilliseconds(500)));
        await mqtt.PublishAsync(EventMessage.Encode(first));
        var acks = await mqtt.AcksAsync(2);

        Assert.Equal([first.EventId.ToString(), second.EventId.ToString()], acks.Select(a => a.EventId));
        Assert.All(acks, ack => Assert.Equal(AckStatus.Accepted, ack.Status));
        Assert.True(acks[0].Index < acks[1].Index);
    }

    [Fact]
    public async Task Publish_SeqGapNeverFilled_RejectedChainGapAfterTimeout()
    {
        await using var hub = await RunningHub.StartAsync(null, "--Ingest:GapTimeout=00:00:00.300");
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        _ = device.Next(1);
        var ahead = device.Next(2);

        await mqtt.PublishAsync(EventMessage.Encode(ahead));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(RejectReason.ChainGap, ack.Reason);
        Assert.Equal(ahead.EventId.ToString(), ack.EventId);
        Assert.Null(hub.Service<LogReader>().IndexOfDeviceEvent(ahead));
    }

    // An agent whose outbox was corrupt moves it aside and starts a new chain at a reserved higher seq with a zero prev.
    [Fact]
    public async Task Publish_NewChainAtHigherSeqWithZeroPrev_AcceptedAsARestartAndContinues()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var first = device.Make(0, EventId.None, pack: 1);
        var restart = device.Make(1024, EventId.None, pack: 2);
        var next = device.Make(1025, restart.EventId, pack: 3);

        await mqtt.PublishAsync(EventMessage.Encode(first));
        Assert.Equal(AckStatus.Accepted, Assert.Single((await mqtt.NextAckAsync()).Acks).Status);
        await mqtt.PublishAsync(EventMessage.Encode(restart));
        Assert.Equal(AckStatus.Accepted, Assert.Single((await mqtt.NextAckAsync()).Acks).Status);
        await mqtt.PublishAsync(EventMessage.Encode(next));
        Assert.Equal(AckStatus.Accepted, Assert.Single((await mqtt.NextAckAsync()).Acks).Status);

        // The old chain cannot continue once the new one began.
        await mqtt.PublishAsync(EventMessage.Encode(device.Make(1, first.EventId, pack: 4)));
        Assert.Equal(RejectReason.ChainFork, Assert.Single((await mqtt.NextAckAsync()).Acks).Reason);
        Assert.NotNull(hub.Service<LogReader>().IndexOfDeviceEvent(next));
    }

    [Fact]
    public async Task Publish_SameSeqDifferentEvent_RejectedChainFork()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
        var original = device.Make(0, EventId.None, pack: 1);
        var fork = device.Make(0, EventId.None, pack: 2);

        await mqtt.PublishAsync(EventMessage.Encode(original));
        Assert.Equal(AckStatus.Accepted, Assert.Single((await mqtt.NextAckAsync()).Acks).Status);
        await mqtt.PublishAsync(EventMessage.Encode(fork));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(RejectReason.ChainFork, ack.Reason);
        Assert.Null(hub.Service<LogReader>().IndexOfDeviceEvent(fork));
    }

    [Fact]
    public async Task Publish_NextSeqWithWrongPrev_RejectedChainBroken()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);

        await mqtt.PublishAsync(EventMessage.Encode(device.Make(0, EventId.Compute("not the previous event"u8))));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal(RejectReason.ChainBroken, ack.Reason);
    }

    [Fact]
    public async Task Restart_ChainHeadKept_NextEventAcceptedAndOldReplayIsDuplicate()
    {
        var directory = Directory.CreateTempSubdirectory("coldtrace-hub-").FullName;
        using var device = new TestDevice("pharmacy-1");
        var first = device.Next(1);
        var second = device.Next(2);
        var third = device.Next(3);
        long firstIndex;
        await using (var hub = await RunningHub.StartAsync(directory))
        {
            Assert.True((await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None)).IsSuccess);
            await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
            await mqtt.PublishAsync(EventMessage.EncodeBatch([first, second]));
            var acks = await mqtt.AcksAsync(2);
            firstIndex = acks[0].Index!.Value;
        }

        await using (var hub = await RunningHub.StartAsync(directory))
        {
            await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
            await mqtt.PublishAsync(EventMessage.Encode(third));
            var next = Assert.Single((await mqtt.NextAckAsync()).Acks);
            await mqtt.PublishAsync(EventMessage.Encode(first));
            var replay = Assert.Single((await mqtt.NextAckAsync()).Acks);

            Assert.Equal(AckStatus.Accepted, next.Status);
            Assert.False(next.Duplicate);
            Assert.Equal(AckStatus.Accepted, replay.Status);
            Assert.True(replay.Duplicate);
            Assert.Equal(firstIndex, replay.Index);
        }
    }

    [Fact]
    public async Task Inject_RevokedDevice_RejectedDeviceRevoked()
    {
        await using var hub = await RunningHub.StartAsync();
        using var device = await EnrolAsync(hub, "pharmacy-1");
        var envelope = device.Next();
        Assert.True(hub.Service<EventAdmission>().TryAdmit(MqttDevice.DeviceIdOf(device.Id), EventMessage.Encode(envelope), out _, out _));
        await hub.Service<DeviceEnrolment>().RevokeAsync(device.Id, "lost", "test", CancellationToken.None);

        // The broker refuses a revoked device at CONNECT; a message already queued meets the same refusal in ingest.
        Assert.False(hub.Service<EventAdmission>().TryAdmit(MqttDevice.DeviceIdOf(device.Id), EventMessage.Encode(envelope), out _, out var rejection));
        Assert.Equal(RejectReason.DeviceRevoked, rejection!.Reason);
    }

    private static async Task<TestDevice> EnrolAsync(RunningHub hub, string id)
    {
        var device = new TestDevice(id);
        var result = await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error);
        return device;
    }
}
