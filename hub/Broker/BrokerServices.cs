using Microsoft.Extensions.Options;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;

namespace SupplyChain.Hub.Broker;

internal static class BrokerServices
{
    /// <summary>
    /// The hub's MQTT side (started after ingest, so no message arrives before its workers run): the embedded broker, or
    /// with <c>Broker:Mode=External</c> the hub's client of an external broker. Either way <see cref="IHubPublisher"/> is
    /// how the hub publishes (acks, answers, the retained checkpoint and recall lists).
    /// </summary>
    public static WebApplicationBuilder AddBroker(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BrokerOptions>, ExternalBrokerOptionsValidator>();

        // The embedded broker is always registered (it stays idle in external mode), so its Port is there to ask.
        builder.Services.AddSingleton<EmbeddedBroker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EmbeddedBroker>());
        var mode = builder.Configuration.GetSection(BrokerOptions.Section).GetValue(nameof(BrokerOptions.Mode), BrokerMode.Embedded);
        if (mode == BrokerMode.External)
        {
            builder.Services.AddSingleton<ExternalBroker>();
            builder.Services.AddSingleton<IHubPublisher>(services => services.GetRequiredService<ExternalBroker>());
            builder.Services.AddHostedService(services => services.GetRequiredService<ExternalBroker>());
        }
        else
        {
            builder.Services.AddSingleton<IHubPublisher>(services => services.GetRequiredService<EmbeddedBroker>());
        }

        // Acks go to the broker through the devices' ack log (the Devices page's rejections since start).
        builder.Services.AddSingleton<HubAckPublisher>();
        builder.Services.AddSingleton<DeviceAckLog>();
        builder.Services.AddSingleton<IAckPublisher>(services => services.GetRequiredService<DeviceAckLog>());
        builder.Services.AddHostedService<CheckpointPublisher>();
        return builder;
    }
}
