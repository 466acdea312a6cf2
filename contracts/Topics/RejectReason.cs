namespace SupplyChain.Contracts.Topics;

/// <summary>
/// The stable reason codes of a rejected event (PROTOCOL.md §5.4), in the order the hub checks them. Agents match on
/// these strings; new codes may be added, existing ones never change meaning.
/// </summary>
public static class RejectReason
{
    /// <summary>The message or the event payload is over the size limit.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The message is not one envelope or a batch, or an element is not a DSSE envelope (§3.1).</summary>
    public const string MalformedEnvelope = "malformed_envelope";

    /// <summary>The <c>payloadType</c> is not the ColdTrace event type (§3.2).</summary>
    public const string WrongPayloadType = "wrong_payload_type";

    /// <summary>The topic's device is not enrolled.</summary>
    public const string UnknownDevice = "unknown_device";

    /// <summary>The device is revoked.</summary>
    public const string DeviceRevoked = "device_revoked";

    /// <summary>No signature carries the key id enrolled for the topic's device.</summary>
    public const string UnknownKey = "unknown_key";

    /// <summary>The signature with the enrolled key id does not verify.</summary>
    public const string BadSignature = "bad_signature";

    /// <summary>The payload is not a ColdTrace EPCIS event (§2); <see cref="EventAck.Detail"/> names the <c>EventError</c>.</summary>
    public const string BadEvent = "bad_event";

    /// <summary>The event's <c>ct:deviceId</c> is not the device of the topic.</summary>
    public const string DeviceMismatch = "device_mismatch";

    /// <summary>Events before this one's <c>ct:seq</c> did not arrive in time; resend from the first unacknowledged event.</summary>
    public const string ChainGap = "chain_gap";

    /// <summary>Another event already holds this <c>ct:seq</c> for the device.</summary>
    public const string ChainFork = "chain_fork";

    /// <summary>The <c>ct:seq</c> continues the chain but <c>ct:prev</c> is not the id of the device's last event.</summary>
    public const string ChainBroken = "chain_broken";

    /// <summary>The hub could not store the event now; the agent keeps it and resends later.</summary>
    public const string HubUnavailable = "hub_unavailable";
}
