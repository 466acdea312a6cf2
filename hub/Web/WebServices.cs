using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Web;

/// <summary>
/// The web UI (Razor Pages under <c>hub/Pages</c>, static files from <c>hub/wwwroot</c>): its options, antiforgery, the
/// rate limiter and the data-protection keys that seal session and antiforgery cookies.
/// </summary>
internal static class WebServices
{
    /// <summary>Where the data-protection key ring lives, inside the hub's owner-only data directory.</summary>
    public const string KeysDirectory = "web-keys";

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRouting(options => options.LowercaseUrls = true);
        builder.Services.AddRazorPages(options =>
        {
            // Every page needs a session unless it says otherwise; the sign-in page is the exception.
            options.Conventions.AuthorizeFolder("/", UserPolicies.SignedIn);
            options.Conventions.AllowAnonymousToPage("/Account/SignIn");
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "coldtrace.csrf";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddRateLimiter(RateLimits.Add);

        // Session and antiforgery cookies stay valid across restarts: the key ring is kept in the data directory (owner
        // only, like the hub's signing key) instead of in memory.
        builder.Services.AddDataProtection().SetApplicationName("coldtrace-hub");
        // The key ring is not encrypted at rest, by choice: it sits in the owner-only data directory next to the hub's
        // signing key, which is not encrypted either. The warning saying so at every new key is expected.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, services) =>
            options.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(HubServices.DataDirectory(services), KeysDirectory)),
                services.GetRequiredService<ILoggerFactory>()));
        return builder;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }

    /// <summary>The options the hub's <see cref="WebApplication"/> is built with: Razor Pages and wwwroot found next to the program.</summary>
    public static WebApplicationOptions HostOptions(string[] args) => new()
    {
        Args = args,
        // The application parts (compiled pages) are this assembly's even when a test host is the entry assembly.
        ApplicationName = typeof(WebServices).Assembly.GetName().Name,
        // wwwroot is copied next to the program (and to test outputs), whatever the working directory.
        WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
    };
}
