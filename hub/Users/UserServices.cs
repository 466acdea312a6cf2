using Microsoft.AspNetCore.Authentication;

namespace SupplyChain.Hub.Users;

internal static class UserServices
{
    /// <summary>The user store (<c>users.db</c> in the data directory), bearer-token authentication and the role policies.</summary>
    public static WebApplicationBuilder AddUsers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IUserStore>(services =>
            new LiteDbUserStore(Path.Combine(HubServices.DataDirectory(services), LiteDbUserStore.FileName)));
        builder.Services.AddSingleton<UserAccounts>();
        builder.Services.AddHostedService<UserStoreStartup>();
        builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorization(UserPolicies.Add);
        return builder;
    }
}
