namespace SupplyChain.Hub;

/// <summary>Builds the hub's web application: configuration, services, endpoints.</summary>
internal static class HubHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <param name="args">Host configuration (<c>--Key=value</c>).</param>
    /// <param name="configure">More services before the build, such as the demo's (hub/Demo).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
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
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapHub();
        return app;
    }
}
