using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// Device enrolment and revocation for admins under <c>/v1/devices</c> (docs/API.md "Devices"), through the same
/// <see cref="DeviceEnrolment"/> as the <c>devices</c> command: each is a hub-decision leaf naming the signed-in admin.
/// The broker looks devices up in the same registry at every CONNECT, so a new device can connect at once and a revoked
/// one is disconnected.
/// </summary>
internal static class DeviceEndpoints
{
    public static IEndpointRouteBuilder MapDeviceApi(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup("/v1/devices").WithTags("Devices");
        devices.MapGet("/", List).RequireAuthorization(UserPolicies.DeviceReader);
        devices.MapPost("/", EnrollAsync).RequireAuthorization(UserPolicies.Admin);
        devices.MapPost("/{id}/revoke", RevokeAsync).RequireAuthorization(UserPolicies.Admin);
        return app;
    }

    internal sealed record EnrollRequest(string? Id, string? PublicKey, string? Site, string? Role, string? Password);

    internal sealed record RevokeRequest(string? Reason);

    internal sealed record EnrolledResponse(DeviceView Device, string? Password);

    internal sealed record DeviceListResponse(IReadOnlyList<DeviceView> Devices);

    /// <summary>A device as the API shows it; the MQTT password hash never leaves the hub.</summary>
    internal sealed record DeviceView(
        string Id,
        string Status,
        string Role,
        string Site,
        string KeyId,
        string PublicKey,
        string EnrolledAt,
        long EnrolledIndex,
        string? RevokedAt,
        string? RevokedReason,
        long? RevokedIndex)
    {
        public static DeviceView Of(DeviceRecord device) => new(
            device.Id.Value,
            device.IsActive ? "active" : "revoked",
            DeviceRoles.Name(device.Role),
            device.Site.Value,
            device.KeyId.ToString(),
            Convert.ToBase64String(device.PublicKey),
            DeviceDecision.FormatTime(device.EnrolledAt),
            device.EnrolledIndex,
            device.RevokedAt is { } at ? DeviceDecision.FormatTime(at) : null,
            device.RevokedReason,
            device.RevokedIndex);
    }

    private static Ok<DeviceListResponse> List(IDeviceRegistry registry) =>
        TypedResults.Ok(new DeviceListResponse([.. registry.List().Select(DeviceView.Of)]));

    private static async Task<Results<Created<EnrolledResponse>, ProblemHttpResult>> EnrollAsync(
        EnrollRequest? request, ClaimsPrincipal user, DeviceEnrolment enrolment, IDeviceRegistry registry, CancellationToken cancellationToken)
    {
        if (request is null || request.Id is null || request.PublicKey is null || request.Site is null || request.Role is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Missing member", "The body needs id, publicKey (base64, raw 32-byte Ed25519), site (GLN) and role; password is optional.");
        }

        if (DeviceId.TryParse(request.Id, out var id, out _) && registry.Find(id) is not null)
        {
            return Problem(StatusCodes.Status409Conflict, "Device already enrolled", $"Device {id} is already enrolled (revoked ids are not reused).");
        }

        var outcome = await enrolment.EnrollAsync(
            new EnrolRequest(request.Id, request.PublicKey, request.Site, request.Role, request.Password, UserPrincipal.Actor(user)), cancellationToken);
        if (!outcome.IsSuccess)
        {
            var conflict = outcome.Error!.Contains("already enrolled", StringComparison.Ordinal);
            return Problem(conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, conflict ? "Device already enrolled" : "Bad enrolment", outcome.Error);
        }

        var device = DeviceView.Of(outcome.Device!);
        return TypedResults.Created($"/v1/devices/{device.Id}", new EnrolledResponse(device, outcome.GeneratedPassword));
    }

    private static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> RevokeAsync(
        string id, RevokeRequest? request, ClaimsPrincipal user, DeviceEnrolment enrolment, IDeviceRegistry registry, CancellationToken cancellationToken)
    {
        if (!DeviceId.TryParse(id, out var deviceId, out var why))
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad device id", why);
        }

        switch (registry.Find(deviceId))
        {
            case null:
                return Problem(StatusCodes.Status404NotFound, "No such device", $"Device {deviceId} is not enrolled.");
            case { IsActive: false }:
                return Problem(StatusCodes.Status409Conflict, "Device already revoked", $"Device {deviceId} is already revoked.");
        }

        var outcome = await enrolment.RevokeAsync(id, request?.Reason ?? string.Empty, UserPrincipal.Actor(user), cancellationToken);
        return outcome.IsSuccess
            ? TypedResults.Ok(DeviceView.Of(outcome.Device!))
            : Problem(StatusCodes.Status400BadRequest, "Bad revocation", outcome.Error!);
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
