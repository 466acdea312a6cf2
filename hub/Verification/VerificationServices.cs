namespace SupplyChain.Hub.Verification;

internal static class VerificationServices
{
    /// <summary>The scan verifier behind <c>POST /v1/verify</c> and its MQTT twin (PROTOCOL.md §5.7).</summary>
    public static WebApplicationBuilder AddVerification(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ScanVerifier>();
        builder.Services.AddSingleton<Dispensing.DispenseDesk>();
        builder.Services.AddSingleton<VerifyQueue>();
        builder.Services.AddHostedService<MqttVerification>();
        return builder;
    }
}
