using System.Buffers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MQTTnet;
using MQTTnet.Protocol;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Ingest;
using SupplyChain.Hub.Verification;

namespace SupplyChain.Hub.Tests.Verification;

/// <summary>Verification over MQTT request/response (PROTOCOL.md §5.7) with real MQTTnet clients on the embedded broker.</summary>
public sealed class MqttVerificationTests
{
    private const string Scan = $"]d201{ChainDevice.Gtin}21S1\u001d17300131" + "10L1";

    [Fact]
    public async Task Verify_PharmacyDeviceAsksOverMqtt_SameJsonAsPostVerifyForItsSiteWithCorrelation()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1");
        var http = await CoveredHttpAnswerAsync(hub, ChainSites.PharmacyGln);

        var answer = await AskAsync(sites.Pharmacy.Mqtt, JsonSerializer.SerializeToUtf8Bytes(new { scan = Scan }), [7, 7, 7]);

        Assert.Equal([7, 7, 7], answer.CorrelationData);
        Assert.Equal("200", Status(answer));
        Assert.Equal("application/json", answer.ContentType);
        var mqtt = JsonNode.Parse(answer.Payload.ToArray())!;
        Assert.True(JsonNode.DeepEquals(http, mqtt), $"HTTP {http.ToJsonString()}\nMQTT {mqtt.ToJsonString()}");
        Assert.True(mqtt["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Verify_OtherPharmacyAsksOverMqtt_AnsweredForItsOwnSite()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1");
        var http = await CoveredHttpAnswerAsync(hub, ChainSites.OtherPharmacyGln);

        var answer = await AskAsync(sites.OtherPharmacy.Mqtt, JsonSerializer.SerializeToUtf8Bytes(new { scan = Scan }), null);

        var mqtt = JsonNode.Parse(answer.Payload.ToArray())!;
        Assert.True(JsonNode.DeepEquals(http, mqtt), $"HTTP {http.ToJsonString()}\nMQTT {mqtt.ToJsonString()}");
        Assert.False(mqtt["verified"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("not json", "Bad request")]
    [InlineData("{\"scan\":\"\"}", "No scan")]
    [InlineData("{\"scan\":\"]d20109506000134352\"}", "Not a serialized pack")]
    public async Task Verify_BadRequestOverMqtt_ProblemWithStatus400(string payload, string title)
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);

        var answer = await AskAsync(sites.Pharmacy.Mqtt, Encoding.UTF8.GetBytes(payload), [1]);

        Assert.Equal("400", Status(answer));
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal([1], answer.CorrelationData);
        using var problem = JsonDocument.Parse(answer.Payload.ToArray());
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
    }

    private static async Task<MqttApplicationMessage> AskAsync(MqttDevice device, byte[] payload, byte[]? correlation)
    {
        var id = MqttDevice.DeviceIdOf(device.Id);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await device.SubscribeAsync(ColdTraceTopic.DeviceAnswers(id)));
        var request = new MqttApplicationMessageBuilder()
            .WithTopic(ColdTraceTopic.DeviceVerify(id))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithCorrelationData(correlation)
            .Build();
        var published = await device.Client.PublishAsync(request);
        Assert.Equal(MqttClientPublishReasonCode.Success, published.ReasonCode);
        var answer = await device.NextOtherAsync();
        Assert.Equal(ColdTraceTopic.DeviceAnswers(id), answer.Topic);
        return answer;
    }

    private static string Status(MqttApplicationMessage message) =>
        Encoding.UTF8.GetString(message.UserProperties.Single(p => p.Name == MqttVerification.StatusProperty).ValueBuffer.Span);

    /// <summary>The HTTP answer once every proof is covered by a checkpoint, so a later answer is the same.</summary>
    private static async Task<JsonNode> CoveredHttpAnswerAsync(RunningHub hub, string site)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var response = await hub.Http.PostAsJsonAsync("/v1/verify", new { scan = Scan, site }, timeout.Token);
            var answer = (await response.Content.ReadFromJsonAsync<JsonNode>(timeout.Token))!;
            if (answer["proofs"]!.AsArray().All(p => !p!["pending"]!.GetValue<bool>()))
            {
                return answer;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
