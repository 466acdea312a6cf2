namespace SupplyChain.Contracts.Events;

/// <summary>Why a payload is not a ColdTrace event. Names and values are stable (they travel in acks).</summary>
public enum EventError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Larger than <see cref="EventCodec.MaxPayloadBytes"/>.</summary>
    TooLarge = 1,

    /// <summary>Not well-formed UTF-8 JSON, a member appears twice, or a string escapes a lone surrogate (RFC 8259 §8.2).</summary>
    MalformedJson = 2,

    /// <summary>Not an object with <c>type</c> <c>EPCISDocument</c> and <c>schemaVersion</c> <c>2.0</c>.</summary>
    NotEpcisDocument = 3,

    /// <summary>A member has the wrong JSON type.</summary>
    WrongFieldType = 4,

    /// <summary><c>@context</c> lacks the EPCIS context or the <c>ct</c> prefix.</summary>
    BadContext = 5,

    /// <summary><c>epcisBody.eventList</c> does not hold exactly one event.</summary>
    NotExactlyOneEvent = 6,

    /// <summary>The event is not an <c>ObjectEvent</c>.</summary>
    NotObjectEvent = 7,

    /// <summary>A required <c>ct:</c> member is missing.</summary>
    MissingExtension = 8,

    /// <summary>A <c>ct:</c> member has a value outside its pinned form.</summary>
    BadExtension = 9,

    /// <summary>A time is not UTC with milliseconds (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>) or the offset is not <c>+00:00</c>.</summary>
    BadTime = 10,

    /// <summary>The (bizStep, disposition) pair is not one ColdTrace produces.</summary>
    UnknownBizStepDisposition = 11,

    /// <summary>The action does not match the kind.</summary>
    BadAction = 12,

    /// <summary>An epc, readPoint, source or destination is missing or not an absolute https URI, or epcs repeat.</summary>
    BadIdentifier = 13,

    /// <summary>Commissioning without lot and expiry, or ilmd on another kind.</summary>
    BadIlmd = 14,

    /// <summary>Shipping without destination party, or receiving without source party.</summary>
    BadSourceOrDestination = 15,

    /// <summary>Sensor data missing or not of the pinned temperature form.</summary>
    BadSensorReport = 16,
}
