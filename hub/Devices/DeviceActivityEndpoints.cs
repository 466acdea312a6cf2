using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Hub.Custody;
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
        builder.Services.AddSingleton<DeviceStatusBoard>();
        builder.Services.AddSingleton<ICustodyObserver>(services => services.GetRequiredService<DeviceActivity>());

        // DeviceAckLog, which sees every ack on its way to the broker, is registered with the broker (AddBroker).
        return builder;
    }

    public static IEndpointRouteBuilder MapDeviceActivityApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/devices/activity", List).WithTags("Devices").RequireAuthorization(UserPolicies.DeviceReader);
        return app;
    }

    internal sealed record FaultJson(long Index, string Time, string Kind, string Detail);

    internal sealed record RejectionJson(string Time, string Reason, string? Detail, string? EventId);

    internal sealed record SensorFaultsJson(string Sensor, long Count, string LastFault);

    /// <summary>The station's newest status report (PROTOCOL.md §5.8); <c>reportedAt</c> is when the hub received it.</summary>
    internal sealed record StationJson(
        string ReportedAt,
        string Time,
        bool ClockSynced,
        long CustodyBacklog,
        long SensorBacklog,
        string? OldestWaiting,
        long Rejected,
        IReadOnlyList<SensorFaultsJson> SensorFaults,
        string AgentVersion);

    /// <summary>
    /// One device: registry facts, what the log holds of it, what the hub answered it, and its station's newest status
    /// report (null until one arrives since the hub started). <c>lastSeen</c> is the later of the last accepted event and
    /// the last status report, or without either the newest event's own time.
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
        IReadOnlyList<RejectionJson> Rejections,
        StationJson? Station);

    internal sealed record ActivityResponse(long Applied, IReadOnlyList<ActivityJson> Devices);

    internal static IReadOnlyList<DeviceRow> Rows(IDeviceRegistry registry, DeviceActivity activity, DeviceAckLog acks, DeviceStatusBoard statuses) =>
        [.. registry.List()
            .OrderBy(d => d.Id.Value, StringComparer.Ordinal)
            .Select(d => new DeviceRow(d, activity.Of(d.Id.Value), acks.Of(d.Id.Value), statuses.Of(d.Id.Value)))];

    private static Ok<ActivityResponse> List(CustodyState custody, IDeviceRegistry registry, DeviceActivity activity, DeviceAckLog acks, DeviceStatusBoard statuses)
    {
        var applied = custody.CatchUp();
        return TypedResults.Ok(new ActivityResponse(applied, [.. Rows(registry, activity, acks, statuses).Select(ToJson)]));
    }

    private static StationJson? ToJson(StationReport? report) => report is { Status: var s } ? new(
        DeviceDecision.FormatTime(report.ReceivedAt),
        DeviceDecision.FormatTime(s.Time),
        s.ClockSynced,
        s.CustodyBacklog,
        s.SensorBacklog,
        s.OldestWaiting is { } oldest ? DeviceDecision.FormatTime(oldest) : null,
        s.Rejected,
        [.. s.SensorFaults.Select(f => new SensorFaultsJson(f.Sensor, f.Count, f.LastFault))],
        s.AgentVersion) : null;

    private static ActivityJson ToJson(DeviceRow row)
    {
        var (device, activity, acks, station) = row;
        return new(
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
        row.LastSeen is { } seen ? DeviceDecision.FormatTime(seen) : null,
        activity?.Last?.Seq,
        activity?.Last?.ClockSynced,
        acks?.LastAccepted is { } accepted ? DeviceDecision.FormatTime(accepted) : null,
        acks?.Rejected ?? 0,
        [.. (activity?.Faults ?? []).Select(f => new FaultJson(f.Index, DeviceDecision.FormatTime(f.Time), f.Kind, f.Detail))],
        [.. (acks?.Rejections ?? []).Select(r => new RejectionJson(DeviceDecision.FormatTime(r.Time), r.Reason, r.Detail, r.EventId))],
        ToJson(station));
    }
}

/// <summary>
/// One row of the devices page and <c>/v1/devices/activity</c>: the registry's record, the log's activity, the acks since
/// start, the station's newest status report.
/// </summary>
internal sealed record DeviceRow(DeviceRecord Device, DeviceActivitySnapshot? Activity, DeviceAcks? Acks, StationReport? Station)
{
    /// <summary>
    /// The later of the last accepted event and the last status report (hub clock); without either, the newest event's
    /// own time (device clock, e.g. events logged before the hub's restart); null for a device never heard from.
    /// </summary>
    public DateTimeOffset? LastSeen => (Acks?.LastAccepted, Station?.ReceivedAt) switch
    {
        ({ } accepted, { } reported) => accepted > reported ? accepted : reported,
        ({ } accepted, null) => accepted,
        (null, { } reported) => reported,
        _ => Activity?.Last?.Time,
    };
}
