namespace SupplyChain.Hub.Ingest;

internal static class IngestServices
{
    /// <summary>The ingest queue, admission checks, chain heads (<c>chains.db</c> or PostgreSQL, checked against the log at start) and the workers.</summary>
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IngestQueue>();
        builder.Services.AddSingleton<EventAdmission>();
        builder.Services.AddSingleton<IChainHeadStore>(services => Storage.StorageServices.UsesPostgres(services)
            ? new PostgresChainHeadStore(services.GetRequiredService<Npgsql.NpgsqlDataSource>())
            : new LiteDbChainHeadStore(
                Path.Combine(HubServices.DataDirectory(services), LiteDbChainHeadStore.FileName),
                services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Log.LogOptions>>().Value.MinFreeBytes));
        builder.Services.AddSingleton<LoggedChainHeads>();
        builder.Services.AddSingleton<Custody.ICustodyObserver>(services => services.GetRequiredService<LoggedChainHeads>());
        builder.Services.AddHostedService<ChainHeadRecovery>();
        builder.Services.AddHostedService<IngestPipeline>();
        return builder;
    }
}
