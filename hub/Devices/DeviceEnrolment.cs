using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Devices;

/// <summary>What an operator asks for: raw text from the CLI (later the admin API), checked here.</summary>
internal sealed record EnrolRequest(string Id, string PublicKeyBase64, string Site, string Role, string? Password, string Actor);

/// <summary>The outcome of an enrolment or revocation: the device, the generated password if any, or why it was refused.</summary>
internal sealed record DeviceDecisionResult(DeviceRecord? Device, string? GeneratedPassword, string? Error)
{
    public bool IsSuccess => Error is null;

    public static DeviceDecisionResult Refused(string error) => new(null, null, error);
}

/// <summary>
/// Enrols and revokes devices. Each decision is first made durable as a hub-decision leaf in the log, then recorded in
/// the registry: the log is the record a verifier trusts, the registry the hub's index of it. A crash between the two
/// leaves a logged decision the registry lacks; enrolling again logs a second, identical-in-substance decision.
/// </summary>
internal sealed class DeviceEnrolment(IDeviceRegistry registry, LogSequencer log, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Raised after a revocation is durable, so the broker can disconnect the device's session.</summary>
    public event Action<DeviceId>? Revoked;

    public async Task<DeviceDecisionResult> EnrollAsync(EnrolRequest request, CancellationToken cancellationToken)
    {
        if (!DeviceId.TryParse(request.Id, out var id, out var why))
        {
            return DeviceDecisionResult.Refused($"bad device id: {why}");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(request.PublicKeyBase64);
        }
        catch (FormatException)
        {
            return DeviceDecisionResult.Refused("bad key: not base64");
        }

        if (key.Length != 32 || !EnvelopeVerifier.TryImportPublicKey(key, out _))
        {
            return DeviceDecisionResult.Refused("bad key: not a raw 32-byte Ed25519 public key");
        }

        if (!Gln.TryParse(request.Site, out var site, out why))
        {
            return DeviceDecisionResult.Refused($"bad site GLN: {why}");
        }

        if (!DeviceRoles.TryParse(request.Role, out var role))
        {
            return DeviceDecisionResult.Refused($"bad role: use one of {string.Join(", ", Enum.GetValues<DeviceRole>().Select(DeviceRoles.Name))}");
        }

        if (request.Password is { Length: < DevicePassword.MinLength })
        {
            return DeviceDecisionResult.Refused($"password too short: at least {DevicePassword.MinLength} characters");
        }

        if (string.IsNullOrWhiteSpace(request.Actor))
        {
            return DeviceDecisionResult.Refused("an actor (who decided) is required");
        }

        var password = request.Password ?? DevicePassword.Generate();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (registry.Find(id) is not null)
            {
                return DeviceDecisionResult.Refused($"device {id} is already enrolled");
            }

            if (registry.List().FirstOrDefault(d => d.KeyId == KeyId.Of(key)) is { } other)
            {
                return DeviceDecisionResult.Refused($"this key is already enrolled for device {other.Id}");
            }

            var now = time.GetUtcNow();
            var record = new DeviceRecord(id, key, site, role, DevicePassword.Hash(password), now, EnrolledIndex: -1);
            var body = DeviceDecision.For(DeviceDecision.Enrolled, record, request.Actor, now).Encode();
            var sequenced = await log.AppendAsync(LogLeafKind.HubDecision, body, cancellationToken);
            record = record with { EnrolledIndex = sequenced.Index };
            registry.TryAdd(record);
            return new DeviceDecisionResult(record, request.Password is null ? password : null, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<DeviceDecisionResult> RevokeAsync(string deviceId, string reason, string actor, CancellationToken cancellationToken)
    {
        if (!DeviceId.TryParse(deviceId, out var id, out var why))
        {
            return DeviceDecisionResult.Refused($"bad device id: {why}");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return DeviceDecisionResult.Refused("a reason is required");
        }

        if (string.IsNullOrWhiteSpace(actor))
        {
            return DeviceDecisionResult.Refused("an actor (who decided) is required");
        }

        DeviceRecord revoked;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var device = registry.Find(id);
            if (device is null)
            {
                return DeviceDecisionResult.Refused($"device {id} is not enrolled");
            }

            if (!device.IsActive)
            {
                return DeviceDecisionResult.Refused($"device {id} is already revoked");
            }

            var now = time.GetUtcNow();
            var body = DeviceDecision.For(DeviceDecision.Revoked, device, actor, now, reason).Encode();
            var sequenced = await log.AppendAsync(LogLeafKind.HubDecision, body, cancellationToken);
            registry.TryRevoke(id, now, reason, sequenced.Index);
            revoked = registry.Find(id)!;
        }
        finally
        {
            _gate.Release();
        }

        Revoked?.Invoke(id);
        return new DeviceDecisionResult(revoked, null, null);
    }

    public void Dispose() => _gate.Dispose();
}
