using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Agent.Outbox;

internal enum AppendStatus
{
    /// <summary>Signed and committed to disk.</summary>
    Appended,

    /// <summary>The custody quota is full: nothing was stored and no sequence number was used.</summary>
    QuotaFull,

    /// <summary>The payload is larger than <c>EventCodec.MaxPayloadBytes</c>: nothing was stored.</summary>
    TooLarge,
}

/// <summary>What <see cref="EventOutbox.Append"/> did. <see cref="Seq"/> and <see cref="EventId"/> are set only when appended.</summary>
internal readonly record struct AppendResult(AppendStatus Status, long Seq, EventId EventId, string? Reason)
{
    public bool IsAppended => Status == AppendStatus.Appended;

    public static AppendResult Appended(long seq, EventId eventId) => new(AppendStatus.Appended, seq, eventId, null);

    public static AppendResult Refused(AppendStatus status, string reason) => new(status, -1, EventId.None, reason);
}

/// <summary>What <see cref="EventOutbox.AppendSensor"/> did: queued, and how many older reports it pushed out.</summary>
internal readonly record struct SensorAppendResult(int Dropped, long TotalGaps);
