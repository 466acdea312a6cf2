namespace SupplyChain.Hub.Log;

/// <summary>
/// The first byte of every log leaf (docs/PROTOCOL.md §4.5). A leaf is this byte followed by the body; the leaf hash is
/// RFC 9162 SHA-256(0x00 ‖ leaf).
/// </summary>
internal enum LogLeafKind : byte
{
    /// <summary>A device's DSSE envelope, exactly as the hub encoded it after verifying it.</summary>
    DeviceEvent = 0x01,

    /// <summary>A hub decision (device enrolled or revoked, recall opened or closed, quarantine released), signed by the hub key.</summary>
    HubDecision = 0x02,
}
