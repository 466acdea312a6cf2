using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Ingest;

public sealed class ConcurrentIngestTests
{
    [Fact]
    public async Task Publish_ManyDevicesAtOnce_EveryEventLoggedOnceInEachDevicesSeqOrder()
    {
        const int Devices = 6;
        const int Batches = 5;
        const int PerBatch = 8;
        await using var hub = await RunningHub.StartAsync(null, "--Ingest:Workers=3");
        var devices = new List<TestDevice>();
        for (var d = 0; d < Devices; d++)
        {
            var device = new TestDevice($"station-{d}");
            Assert.True((await hub.Service<DeviceEnrolment>().EnrollAsync(device.Enrolment(), CancellationToken.None)).IsSuccess);
            devices.Add(device);
        }

        var results = await Task.WhenAll(devices.Select(async device =>
        {
            await using var mqtt = await MqttDevice.ConnectAsync(hub.BrokerPort, device);
            var sent = new List<Envelope>();
            for (var b = 0; b < Batches; b++)
            {
                var batch = Enumerable.Range(0, PerBatch).Select(i => device.Next(i)).ToList();
                sent.AddRange(batch);
                await mqtt.PublishAsync(EventMessage.EncodeBatch(batch));
            }

            return (Sent: sent, Acks: await mqtt.AcksAsync(Batches * PerBatch));
        }));

        var reader = hub.Service<LogReader>();
        var allIndexes = new HashSet<long>();
        foreach (var (sent, acks) in results)
        {
            Assert.Equal(sent.Select(e => e.EventId.ToString()), acks.Select(a => a.EventId));
            Assert.All(acks, ack => Assert.Equal((AckStatus.Accepted, false), (ack.Status, ack.Duplicate!.Value)));
            var indexes = acks.Select(a => a.Index!.Value).ToList();
            Assert.Equal(indexes.Order(), indexes);
            Assert.All(sent.Zip(indexes), pair => Assert.Equal(pair.Second, reader.IndexOfDeviceEvent(pair.First)));
            allIndexes.UnionWith(indexes);
        }

        Assert.Equal(Devices * Batches * PerBatch, allIndexes.Count);
        devices.ForEach(d => d.Dispose());
    }
}
