using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.Recalls;

internal static class RecallServices
{
    /// <summary>The recall ledger (an observer of the custody state), the quality desk and the recall-list publisher.</summary>
    public static WebApplicationBuilder AddRecalls(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RecallLedger>();
        builder.Services.AddSingleton<ICustodyObserver>(services => services.GetRequiredService<RecallLedger>());
        builder.Services.AddSingleton<RecallListPublisher>();
        builder.Services.AddSingleton<RecallDesk>();
        builder.Services.AddHostedService<RecallListStartup>();
        return builder;
    }
}
