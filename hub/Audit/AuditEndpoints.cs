using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Audit;

/// <summary>
/// The log's status for people (docs/API.md "Log: audit and consistency"): the last in-hub audit
/// (<c>GET /v1/log/audit</c>, open like the rest of the log API), starting one (<c>POST /v1/log/audit</c>, admins and
/// auditors), and a consistency proof between two sizes checked by the hub (<c>GET /v1/log/consistency</c>).
/// </summary>
internal static class AuditEndpoints
{
    /// <summary>Who may start an audit (it reads the whole log): admins and auditors.</summary>
    public static readonly AuthorizationPolicy Auditors = new AuthorizationPolicyBuilder()
        .RequireRole(UserRoles.Name(UserRole.Admin), UserRoles.Name(UserRole.Auditor))
        .Build();

    public static WebApplicationBuilder AddLogAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditRunner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AuditRunner>());
        builder.Services.AddSingleton<ConsistencyCheck>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLogAuditApi(this IEndpointRouteBuilder app)
    {
        var log = app.MapGroup("/v1/log").WithTags("Log");
        log.MapGet("/audit", (AuditRunner runner) => TypedResults.Ok(ToJson(runner.Status)));
        log.MapPost("/audit", Start).RequireAuthorization(Auditors);
        log.MapGet("/consistency", Consistency);
        return app;
    }

    internal sealed record AuditJson(
        string State, string? RequestedBy, string? Started, string? Finished, long Done, long Total, long? Entries, int? Checkpoints, long? FailedIndex, string? Failure);

    internal sealed record RootJson(long Size, string Root, string Source, string? Note, string? Problem);

    internal sealed record ConsistencyJson(long From, long To, IReadOnlyList<string> Proof, RootJson Older, RootJson Newer, bool Verified, string? Reason);

    /// <summary><c>never</c>, <c>running</c>, <c>clean</c> or <c>failed</c>.</summary>
    public static string StateName(AuditStatus status) =>
        status.Running ? "running" : status.Report is not { } report ? "never" : report.IsClean ? "clean" : "failed";

    internal static AuditJson ToJson(AuditStatus status) => new(
        StateName(status),
        status.RequestedBy,
        status.Started is { } started ? Devices.DeviceDecision.FormatTime(started) : null,
        status.Finished is { } finished ? Devices.DeviceDecision.FormatTime(finished) : null,
        status.Done,
        status.Total,
        status.Report is { IsClean: true } clean ? clean.Entries : null,
        status.Report is { IsClean: true } withCheckpoints ? withCheckpoints.Checkpoints : null,
        status.Report?.FailedIndex,
        status.Report?.Failure);

    internal static ConsistencyJson ToJson(ConsistencyResult result) => new(
        result.From,
        result.To,
        [.. result.Proof.Select(Convert.ToBase64String)],
        ToJson(result.Older),
        ToJson(result.Newer),
        result.Verified,
        result.Reason);

    private static RootJson ToJson(ConsistencyRoot root) => new(root.Size, Convert.ToBase64String(root.Root), root.Source, root.Note, root.Problem);

    private static Results<Accepted<AuditJson>, ProblemHttpResult> Start(AuditRunner runner, ClaimsPrincipal user) =>
        runner.TryStart(UserPrincipal.Actor(user))
            ? TypedResults.Accepted("/v1/log/audit", ToJson(runner.Status))
            : TypedResults.Problem(title: "Audit already running", detail: "One audit runs at a time; GET /v1/log/audit shows its progress.", statusCode: StatusCodes.Status409Conflict);

    private static Results<Ok<ConsistencyJson>, ProblemHttpResult> Consistency(ConsistencyCheck check, string? from, string? to)
    {
        if (!long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var older)
            || !long.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var newer))
        {
            return TypedResults.Problem(title: "Bad sizes", detail: "from and to must be non-negative decimal integers.", statusCode: StatusCodes.Status400BadRequest);
        }

        return check.TryCheck(older, newer, out var result, out var reason)
            ? TypedResults.Ok(ToJson(result!))
            : TypedResults.Problem(title: "Bad sizes", detail: reason, statusCode: StatusCodes.Status400BadRequest);
    }
}
