namespace SupplyChain.Contracts.Topics;

/// <summary>Why a message on an events topic could not be split into envelopes. Names and values are stable.</summary>
public enum EventMessageError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The message is larger than the limit.</summary>
    TooLarge = 1,

    /// <summary>The message is not well-formed UTF-8 JSON.</summary>
    MalformedJson = 2,

    /// <summary>The root is neither an object (one envelope) nor an array (a batch).</summary>
    NotObjectOrArray = 3,

    /// <summary>A batch with no envelope.</summary>
    EmptyBatch = 4,

    /// <summary>A batch with more than <see cref="EventMessage.MaxEnvelopes"/> envelopes.</summary>
    TooManyEnvelopes = 5,
}
