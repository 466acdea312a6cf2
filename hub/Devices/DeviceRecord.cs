using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// An enrolled device: its Ed25519 key (raw 32 bytes, RFC 8032 §5.1.5), site, role, the salted hash of its MQTT
/// password, and when it was enrolled or revoked (with the log indexes of those decisions).
/// </summary>
internal sealed record DeviceRecord(
    DeviceId Id,
    byte[] PublicKey,
    Gln Site,
    DeviceRole Role,
    string PasswordHash,
    DateTimeOffset EnrolledAt,
    long EnrolledIndex,
    DateTimeOffset? RevokedAt = null,
    string? RevokedReason = null,
    long? RevokedIndex = null)
{
    public KeyId KeyId => KeyId.Of(PublicKey);

    public bool IsActive => RevokedAt is null;
}
