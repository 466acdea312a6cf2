using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// <c>GET /v1/devices/activity</c> (docs/API.md "Devices: activity") for admins and auditors, like the device list, and
/// the registration of <see cref="DeviceActivity"/>.
/// </summary>
internal static class DeviceActivityEndpoints
{
    public static WebApplicationBuilder AddDeviceActivity(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeviceActivity>();
        builder.Services.AddSingleton<ICustodyObserver>(services => services.GetRequiredService<DeviceActivity>());

        // Acks pass through DeviceAckLog on their way to the broker. The last IAckPublisher registered is the one
        // resolved, so this must follow AddBroker (HubServices adds it later).
        builder.Services.AddSingleton<HubAckPublisher>();
        builder.Services.AddSingleton<DeviceAckLog>();
        builder.Services.AddSingleton<IAckPublisher>(services => services.GetRequiredService<DeviceAckLog>());
        return builder;
    }

    public static IEndpointRouteBuilder MapDeviceActivityApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/devices/activity", List).WithTags("Devices").RequireAuthorization(UserPolicies.DeviceReader);
        return app;
    }

    internal sealed record FaultJson(long Index, string Time, string Kind, string Detail);

    internal sealed record RejectionJson(string Time, string Reason, string? Detail, string? EventId);

    /// <summary>
    /// One device: registry facts, then what the log holds of it. No backlog: agents keep theirs in their own status
    /// (<c>coldtrace-agent status</c>) and do not report it to the hub, which only knows what arrives.
    /// </summary>
    internal sealed record ActivityJson(
        string Id,
        string Status,
        string Role,
        string Site,
        string EnrolledAt,
        string? RevokedAt,
        long Events,
        long Red,
        long Alarms,
        long? LastIndex,
        string? LastSeen,
        long? LastSeq,
        bool? ClockSynced,
        string? LastAcceptedAt,
        long Rejected,
        IReadOnlyList<FaultJson> Faults,
        IReadOnlyList<RejectionJson> Rejections);

    internal sealed record ActivityResponse(long Applied, IReadOnlyList<ActivityJson> Devices);

    internal static IReadOnlyList<DeviceRow> Rows(IDeviceRegistry registry, DeviceActivity activity, DeviceAckLog acks) =>
        [.. registry.List().OrderBy(d => d.Id.Value, StringComparer.Ordinal).Select(d => new DeviceRow(d, activity.Of(d.Id.Value), acks.Of(d.Id.Value)))];

    private static Ok<ActivityResponse> List(CustodyState custody, IDeviceRegistry registry, DeviceActivity activity, DeviceAckLog acks)
    {
        var applied = custody.CatchUp();
        return TypedResults.Ok(new ActivityResponse(applied, [.. Rows(registry, activity, acks).Select(ToJson)]));
    }

    private static ActivityJson ToJson(DeviceRow row) => ToJson(row.Device, row.Activity, row.Acks);

    private static ActivityJson ToJson(DeviceRecord device, DeviceActivitySnapshot? activity, DeviceAcks? acks) => new(
        device.Id.Value,
        device.IsActive ? "active" : "revoked",
        DeviceRoles.Name(device.Role),
        device.Site.Value,
        DeviceDecision.FormatTime(device.EnrolledAt),
        device.RevokedAt is { } revoked ? DeviceDecision.FormatTime(revoked) : null,
        activity?.Events ?? 0,
        activity?.Red ?? 0,
        activity?.Alarms ?? 0,
        activity?.Last?.Index,
        activity?.Last is { } last ? DeviceDecision.FormatTime(last.Time) : null,
        activity?.Last?.Seq,
        activity?.Last?.ClockSynced,
        acks?.LastAccepted is { } accepted ? DeviceDecision.FormatTime(accepted) : null,
        acks?.Rejected ?? 0,
        [.. (activity?.Faults ?? []).Select(f => new FaultJson(f.Index, DeviceDecision.FormatTime(f.Time), f.Kind, f.Detail))],
        [.. (acks?.Rejections ?? []).Select(r => new RejectionJson(DeviceDecision.FormatTime(r.Time), r.Reason, r.Detail, r.EventId))]);
}

/// <summary>One row of the devices page and <c>/v1/devices/activity</c>: the registry's record, the log's activity, the acks since start.</summary>
internal sealed record DeviceRow(DeviceRecord Device, DeviceActivitySnapshot? Activity, DeviceAcks? Acks);
