using System.Net;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SupplyChain.Agent.Tests.Status;

namespace SupplyChain.Agent.Tests.Recalls;

/// <summary>A real MQTTnet 5 broker on loopback playing the hub's: checks the device's credentials and holds retained messages.</summary>
internal sealed class RecallBroker(string deviceId, string password) : IAsyncDisposable
{
    private MqttServer? _server;

    public int Port { get; } = AgentHost.FreePort();

    public async Task StartAsync()
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(Port)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += args =>
        {
            args.ReasonCode = args.ClientId == deviceId && args.UserName == deviceId && args.Password == password
                ? MqttConnectReasonCode.Success
                : MqttConnectReasonCode.BadUserNameOrPassword;
            return Task.CompletedTask;
        };
        await _server.StartAsync();
    }

    /// <summary>Publishes <paramref name="payload"/> on <paramref name="topic"/> as the hub does its recall lists: retained, QoS 1.</summary>
    public async Task PublishRetainedAsync(string topic, byte[] payload)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag()
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _server!.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "$hub" });
    }

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            await server.StopAsync(new MqttServerStopOptions());
            server.Dispose();
            _server = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
