using Microsoft.Extensions.Options;
using Npgsql;
using SupplyChain.Hub.Alerts;
using SupplyChain.Hub.Api;
using SupplyChain.Hub.Audit;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.ColdChain;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Dispensing;
using SupplyChain.Hub.Epcis;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Storage;
using SupplyChain.Hub.Users;
using SupplyChain.Hub.Verification;
using SupplyChain.Hub.Web;

namespace SupplyChain.Hub;

/// <summary>The hub's wiring: options validated at start, one hosted service per concern.</summary>
internal static class HubServices
{
    public static WebApplicationBuilder AddHub(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubOptions>().BindConfiguration(HubOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<LogOptions>().BindConfiguration(LogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();

        builder.AddStorage();
        builder.Services.AddSingleton<ILogStore>(services => StorageServices.UsesPostgres(services)
            ? new PostgresLogStore(services.GetRequiredService<NpgsqlDataSource>())
            : new LiteDbLogStore(Path.Combine(DataDirectory(services), "log.db"), services.GetRequiredService<IOptions<LogOptions>>().Value.MinFreeBytes));
        builder.Services.AddSingleton(services =>
            HubSigningKey.LoadOrCreate(DataDirectory(services), services.GetRequiredService<IOptions<LogOptions>>().Value.Origin));
        builder.Services.AddSingleton<LogHead>();
        builder.Services.AddSingleton(services => new LogReader(
            services.GetRequiredService<ILogStore>(),
            services.GetRequiredService<LogHead>(),
            services.GetRequiredService<IOptions<LogOptions>>().Value.ProofCacheTiles));
        builder.Services.AddSingleton<LogSequencer>();
        builder.Services.AddSingleton<LogIntegrator>();
        builder.Services.AddSingleton(services => new IntegratorLease(
            StorageServices.UsesPostgres(services) ? services.GetRequiredService<NpgsqlDataSource>() : null,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<IntegratorLease>>()));

        // Order matters: the stored log is checked before anything may append to it or sign.
        builder.Services.AddHostedService<LogStartupCheck>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LogSequencer>());
        builder.Services.AddHostedService(services => services.GetRequiredService<LogIntegrator>());
        builder.Services.AddHostedService<LogFollower>();
        // The custody state is rebuilt from the log before ingest may append (and ack) anything.
        builder.AddCustody().AddDevices().AddIngest().AddVerification().AddBroker();
        // Recall lists are republished at start, so after the broker; users sign in to the API.
        builder.AddUsers().AddRecalls().AddAlerts().AddWeb();
        builder.AddColdChain().AddDeviceActivity().AddLogAudit().AddEpcis();
        builder.AddApi();
        builder.Services.AddHostedService<StartupBanner>();
        return builder;
    }

    public static WebApplication MapHub(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Static files (CSS) need no user: served before authentication runs.
        app.UseStaticFiles();
        app.UseApi();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authentication: verifications are counted per signed-in user.
        app.UseRateLimiter();
        app.MapLogApi();
        app.MapTileApi();
        app.MapVerificationApi();
        app.MapUserApi();
        app.MapRecallApi();
        app.MapAlertApi();
        app.MapDeviceApi();
        app.MapEpcisApi();
        app.MapDispenseApi();
        app.MapColdChainApi();
        app.MapDeviceActivityApi();
        app.MapLogAuditApi();
        app.MapApiDocument();
        app.MapWeb();
        return app;
    }

    /// <summary>The data directory, created owner-only on first use.</summary>
    public static string DataDirectory(IServiceProvider services)
    {
        var path = Path.GetFullPath(services.GetRequiredService<IOptions<HubOptions>>().Value.DataDirectory);
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
