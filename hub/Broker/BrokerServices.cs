using SupplyChain.Hub.Ingest;

namespace SupplyChain.Hub.Broker;

internal static class BrokerServices
{
    /// <summary>The embedded MQTT broker (started after ingest, so no message arrives before its workers run).</summary>
    public static WebApplicationBuilder AddBroker(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<EmbeddedBroker>();
        builder.Services.AddSingleton<IAckPublisher>(services => services.GetRequiredService<EmbeddedBroker>());
        builder.Services.AddHostedService(services => services.GetRequiredService<EmbeddedBroker>());
        builder.Services.AddHostedService<CheckpointPublisher>();
        return builder;
    }
}
