using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Alerts;

/// <summary><c>GET /v1/alerts</c> (docs/API.md "Alerts") and the registration of the alert feed.</summary>
internal static class AlertEndpoints
{
    public const int MaxLimit = 1000;

    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AlertLog>();
        builder.Services.AddSingleton<ICustodyObserver>(services => services.GetRequiredService<AlertLog>());
        return builder;
    }

    public static IEndpointRouteBuilder MapAlertApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/alerts", List).WithTags("Alerts").RequireAuthorization(UserPolicies.SignedIn);
        return app;
    }

    private static Results<Ok<AlertPage>, ProblemHttpResult> List(CustodyState custody, AlertLog alerts, int? limit, long? since)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.Problem(title: "Bad limit", detail: $"limit must lie between 1 and {MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (since is < 0)
        {
            return TypedResults.Problem(title: "Bad since", detail: "since is a log index: 0 or more.", statusCode: StatusCodes.Status400BadRequest);
        }

        // Everything sequenced so far is applied first, so an alert raised by an acknowledged event is always listed.
        var applied = custody.CatchUp();
        var (newest, total) = alerts.Newest(limit ?? 100, since ?? 0);
        return TypedResults.Ok(new AlertPage(applied, total, newest));
    }
}

/// <summary>The answer: the log size applied, how many alerts were raised since the hub started (replay included), and the newest alerts.</summary>
internal sealed record AlertPage(long Applied, long Total, IReadOnlyList<Alert> Alerts);
