namespace SupplyChain.Contracts.Topics;

/// <summary>Why a topic name is not a ColdTrace topic. Names and values are stable.</summary>
public enum TopicError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The topic holds <c>+</c> or <c>#</c> (a filter, not a name), or is empty or longer than allowed.</summary>
    Wildcard = 1,

    /// <summary>The topic does not start with <c>coldtrace/v1/</c> or names no known topic.</summary>
    UnknownTopic = 2,

    /// <summary>The topic has more or fewer levels than the topic it resembles.</summary>
    WrongLevels = 3,

    /// <summary>The device level is not a device id (PROTOCOL.md §2.2).</summary>
    BadDeviceId = 4,

    /// <summary>The site level is not a GLN (13 digits, valid check digit).</summary>
    BadSiteId = 5,
}
