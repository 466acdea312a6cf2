namespace SupplyChain.Hub;

/// <summary>Builds the hub's web application: configuration, services, endpoints.</summary>
internal static class HubHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(Web.WebServices.HostOptions(args));
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddHub();
        // Type=notify (firmware-config/systemd/coldtrace-hub.service): READY=1 once started, WATCHDOG=1 while alive.
        // Both do nothing outside systemd.
        builder.Services.AddSystemd();
        builder.Services.AddSingleton(_ => WatchdogSettings.FromEnvironment(Environment.GetEnvironmentVariable, Environment.ProcessId));
        builder.Services.AddHostedService<SystemdWatchdog>();
        var app = builder.Build();
        app.MapHub();
        return app;
    }
}
