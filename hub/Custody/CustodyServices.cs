namespace SupplyChain.Hub.Custody;

internal static class CustodyServices
{
    /// <summary>Cold-chain profiles (validated at start), the custody state and its replay from the log.</summary>
    public static WebApplicationBuilder AddCustody(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ColdChainOptions>().BindConfiguration(ColdChainOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ColdChainOptions>, ColdChainOptionsValidator>();
        builder.Services.AddSingleton<CustodyState>();
        builder.Services.AddHostedService<CustodyReplay>();
        builder.Services.AddHostedService<CustodyFollower>();
        return builder;
    }
}
