using Microsoft.AspNetCore.Authentication;

namespace SupplyChain.Hub.Users;

internal static class UserServices
{
    /// <summary>The default authentication scheme: forwards to bearer or session by path.</summary>
    public const string HubScheme = "Hub";

    /// <summary>The user store (<c>users.db</c> in the data directory, or PostgreSQL), bearer-token authentication and the role policies.</summary>
    public static WebApplicationBuilder AddUsers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IUserStore>(services => Storage.StorageServices.UsesPostgres(services)
            ? new PostgresUserStore(services.GetRequiredService<Npgsql.NpgsqlDataSource>())
            : new LiteDbUserStore(Path.Combine(HubServices.DataDirectory(services), LiteDbUserStore.FileName)));
        builder.Services.AddSingleton<UserAccounts>();
        builder.Services.AddHostedService<UserStoreStartup>();
        // One default scheme that picks by path: the JSON API under /v1 takes bearer tokens only (a cookie there would make
        // it CSRF-exposed), the web pages take the session cookie. The same role policies then serve both.
        builder.Services.AddAuthentication(HubScheme)
            .AddPolicyScheme(HubScheme, "Bearer for /v1, session cookie for pages", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase) ? BearerTokenHandler.SchemeName : SessionCookie.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, configureOptions: null)
            .AddCookie(SessionCookie.SchemeName);
        builder.Services.ConfigureOptions<SessionCookie.Setup>();
        builder.Services.AddAuthorization(UserPolicies.Add);
        return builder;
    }
}
