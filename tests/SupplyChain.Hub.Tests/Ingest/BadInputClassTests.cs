using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Ingest;

/// <summary>
/// The classes of issue #7 item 7 the other ingest tests did not cover, each with its stable reason code and no effect
/// on state: nothing sequenced, the checkpoint and the device's chain head unchanged, and the device's next genuine
/// event still accepted at the next seq (docs/RELIABILITY.md "Bad input classes").
/// </summary>
public sealed class BadInputClassTests
{
    [Fact]
    public async Task Publish_AnotherDevicesLoggedEnvelopeReplayedUnderOwnId_RejectedUnknownKeyNothingChanges()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = await EnrolAsync(hub, "device-a");
        using var b = await EnrolAsync(hub, "device-b");
        await using var mqttA = await MqttDevice.ConnectAsync(hub.BrokerPort, a);
        await using var mqttB = await MqttDevice.ConnectAsync(hub.BrokerPort, b);
        var genuine = EventMessage.Encode(b.Next());
        await mqttB.PublishAsync(genuine);
        Assert.Equal(AckStatus.Accepted, Assert.Single((await mqttB.NextAckAsync()).Acks).Status);
        var before = await State.SettledAsync(hub, a);

        // A sends B's exact logged bytes as its own (its own topic, its own connection).
        await mqttA.PublishAsync(genuine);
        var ack = Assert.Single((await mqttA.NextAckAsync()).Acks);

        Assert.Equal((AckStatus.Rejected, RejectReason.UnknownKey), (ack.Status, ack.Reason));
        await before.AssertUnchangedAndNextAcceptedAsync(hub, a, mqttA);
    }

    [Fact]
    public async Task Publish_SignedByAKeyNobodyEnrolled_RejectedUnknownKeyNothingChanges()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = await EnrolAsync(hub, "device-a");
        using var stranger = new TestDevice("device-a");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, a);
        var before = await State.SettledAsync(hub, a);

        // An event naming device-a at its next seq, signed by a key that was never enrolled (unknown, not revoked).
        await mqtt.PublishAsync(EventMessage.Encode(stranger.Make(0, Contracts.Signing.EventId.None)));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal((AckStatus.Rejected, RejectReason.UnknownKey), (ack.Status, ack.Reason));
        await before.AssertUnchangedAndNextAcceptedAsync(hub, a, mqtt);
    }

    [Theory]
    [InlineData(129)]
    [InlineData(60_000)]
    public async Task Publish_GiganticBatchCount_RejectedTooLargeAsAWholeNothingChanges(int count)
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = await EnrolAsync(hub, "device-a");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, a);
        var before = await State.SettledAsync(hub, a);
        // 129 copies of a genuine envelope (one over the limit), or 60 000 empty objects (still under 256 KiB).
        var element = count < 1000 ? Encoding.UTF8.GetString(EventMessage.Encode(a.Make(0, Contracts.Signing.EventId.None))) : "{}";
        var message = Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat(element, count)) + "]");
        Assert.True(message.Length <= EventMessage.MaxMessageBytes, $"{message.Length} bytes");

        await mqtt.PublishAsync(message);
        var acks = (await mqtt.NextAckAsync()).Acks;

        var ack = Assert.Single(acks);
        Assert.Equal((AckStatus.Rejected, RejectReason.TooLarge, nameof(EventMessageError.TooManyEnvelopes)), (ack.Status, ack.Reason, ack.Detail));
        await before.AssertUnchangedAndNextAcceptedAsync(hub, a, mqtt);
    }

    /// <summary>A genuine EPCIS event, signed after one member was made schema-invalid (EPCIS 2.0 JSON schema, CBV 2.0).</summary>
    [Theory]
    [InlineData("action", "\"JUMP\"", "BadAction")]
    [InlineData("eventTime", "\"yesterday\"", "BadTime")]
    [InlineData("eventTime", "12", "WrongFieldType")]
    [InlineData("bizStep", "\"dancing\"", "UnknownBizStepDisposition")]
    [InlineData("epcList", "\"https://id.gs1.org/01/09506000134352/21/S1\"", "WrongFieldType")]
    [InlineData("epcList", "[\"not an epc\"]", "BadIdentifier")]
    [InlineData("type", "\"TransformationEvent\"", "NotObjectEvent")]
    [InlineData("eventTimeZoneOffset", "\"somewhere\"", "BadTime")]
    public async Task Publish_SchemaInvalidEpcisEvent_RejectedBadEventNamingTheErrorNothingChanges(string member, string json, string detail)
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = await EnrolAsync(hub, "device-a");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, a);
        var before = await State.SettledAsync(hub, a);
        var document = JsonNode.Parse(a.Make(0, Contracts.Signing.EventId.None).Payload.Span)!;
        document["epcisBody"]!["eventList"]![0]![member] = JsonNode.Parse(json);

        await mqtt.PublishAsync(EventMessage.Encode(a.Signer.Sign(Encoding.UTF8.GetBytes(document.ToJsonString()), EventVocabulary.PayloadType)));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal((AckStatus.Rejected, RejectReason.BadEvent, detail), (ack.Status, ack.Reason, ack.Detail));
        await before.AssertUnchangedAndNextAcceptedAsync(hub, a, mqtt);
    }

    [Fact]
    public async Task Publish_TwoEventsInOneDocument_RejectedBadEventNotExactlyOneNothingChanges()
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = await EnrolAsync(hub, "device-a");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, a);
        var before = await State.SettledAsync(hub, a);
        var document = JsonNode.Parse(a.Make(0, Contracts.Signing.EventId.None).Payload.Span)!;
        var events = document["epcisBody"]!["eventList"]!.AsArray();
        events.Add(events[0]!.DeepClone());

        await mqtt.PublishAsync(EventMessage.Encode(a.Signer.Sign(Encoding.UTF8.GetBytes(document.ToJsonString()), EventVocabulary.PayloadType)));
        var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);

        Assert.Equal((RejectReason.BadEvent, nameof(EventError.NotExactlyOneEvent)), (ack.Reason, ack.Detail));
        await before.AssertUnchangedAndNextAcceptedAsync(hub, a, mqtt);
    }

    [Theory]
    [InlineData("coldtrace/v1/devices/device-a/commands")]
    [InlineData("coldtrace/v1/devices/device-a")]
    [InlineData("coldtrace/v1/devices/device-a/events/extra")]
    [InlineData("coldtrace/v2/devices/device-a/events")]
    [InlineData("coldtrace/v1/sites/9506000134383/recalls")]
    [InlineData("coldtrace/v1/checkpoint")]
    [InlineData("factory/line-1/events")]
    [InlineData("$SYS/broker/clients")]
    public async Task Publish_TopicOutsideTheScheme_RefusedNotAuthorizedNothingChanges(string topic)
    {
        await using var hub = await RunningHub.StartAsync();
        using var a = await EnrolAsync(hub, "device-a");
        await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, a);
        var before = await State.SettledAsync(hub, a);

        var reason = await mqtt.PublishAsync(EventMessage.Encode(a.Make(0, Contracts.Signing.EventId.None)), topic);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, reason);
        Assert.True(await mqtt.NoAckWithinAsync(TimeSpan.FromMilliseconds(300)));
        await before.AssertUnchangedAndNextAcceptedAsync(hub, a, mqtt);
    }

    private static async Task<TestDevice> EnrolAsync(RunningHub hub, string id)
    {
        var device = new TestDevice(id);
        var result = await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error);
        return device;
    }

    /// <summary>What a bad input must leave alone: the sequenced size, the checkpoint, the device's chain head.</summary>
    private sealed record State(long Sequenced, long CheckpointSize, string CheckpointRoot, ChainHead? Head)
    {
        /// <summary>The state once the enrolments are under a checkpoint.</summary>
        public static async Task<State> SettledAsync(RunningHub hub, TestDevice device)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (hub.Service<LogHead>().Current?.Size != hub.Service<ILogStore>().ReadState().SequencedSize)
            {
                await Task.Delay(20, timeout.Token);
            }

            return Of(hub, device);
        }

        /// <summary>
        /// Nothing changed (after a pause in which a wrongly accepted event would have been sequenced and integrated), and
        /// the device's next genuine event, at the seq it would have had anyway, is accepted.
        /// </summary>
        public async Task AssertUnchangedAndNextAcceptedAsync(RunningHub hub, TestDevice device, MqttDevice mqtt)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.Equal(this, Of(hub, device));

            var next = device.Next();
            await mqtt.PublishAsync(EventMessage.Encode(next));
            var ack = Assert.Single((await mqtt.NextAckAsync()).Acks);
            Assert.Equal((AckStatus.Accepted, next.EventId.ToString()), (ack.Status, ack.EventId));
        }

        private static State Of(RunningHub hub, TestDevice device)
        {
            var checkpoint = hub.Service<LogHead>().Current;
            return new State(
                hub.Service<ILogStore>().ReadState().SequencedSize,
                checkpoint?.Size ?? 0,
                Convert.ToHexString(checkpoint?.RootHash ?? []),
                hub.Service<IChainHeadStore>().Read(MqttDevice.DeviceIdOf(device.Id)));
        }
    }
}
