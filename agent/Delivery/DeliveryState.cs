namespace SupplyChain.Agent.Delivery;

/// <summary>What delivery looks like right now, for status and health (DESIGN.md §5).</summary>
internal sealed record DeliverySnapshot(
    bool Connected,
    DateTimeOffset? Since,
    int ConnectAttempts,
    string? LastError,
    DateTimeOffset? LastAckAt,
    long? LastAckLogIndex,
    long AckedThisRun,
    long RejectedThisRun,
    bool Draining,
    long DrainsThisRun,
    long ResentThisRun = 0);

/// <summary>The delivery service's connection state and last ack, shared with status readers (one per agent).</summary>
internal sealed class DeliveryState
{
    private DeliverySnapshot _current = new(false, null, 0, null, null, null, 0, 0, false, 0);

    public DeliverySnapshot Current => Volatile.Read(ref _current);

    internal void Connected(DateTimeOffset now, bool draining) => Update(s => s with
    {
        Connected = true,
        Since = now,
        ConnectAttempts = 0,
        LastError = null,
        Draining = draining,
        DrainsThisRun = s.DrainsThisRun + (draining ? 1 : 0),
    });

    internal void Drained() => Update(s => s with { Draining = false });

    internal void Disconnected(DateTimeOffset now, string? error) =>
        Update(s => s with { Connected = false, Draining = false, Since = s.Connected || s.Since is null ? now : s.Since, ConnectAttempts = s.ConnectAttempts + 1, LastError = error });

    internal void Acked(DateTimeOffset now, long logIndex) =>
        Update(s => s with { LastAckAt = now, LastAckLogIndex = logIndex, AckedThisRun = s.AckedThisRun + 1 });

    internal void Rejected() => Update(s => s with { RejectedThisRun = s.RejectedThisRun + 1 });

    /// <summary>Events published before and now sent again (their answer was overdue, the hub asked, or the connection dropped).</summary>
    internal void WillResend(int events)
    {
        if (events > 0)
        {
            Update(s => s with { ResentThisRun = s.ResentThisRun + events });
        }
    }

    private void Update(Func<DeliverySnapshot, DeliverySnapshot> change)
    {
        DeliverySnapshot seen, next;
        do
        {
            seen = Volatile.Read(ref _current);
            next = change(seen);
        }
        while (Interlocked.CompareExchange(ref _current, next, seen) != seen);
    }
}
