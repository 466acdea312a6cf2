namespace SupplyChain.Agent.Outbox;

/// <summary>The two classes of outbox entries: custody events are never dropped; sensor reports may be (DESIGN.md §5).</summary>
internal enum OutboxKind
{
    Custody,
    Sensor,
}

/// <summary>Which kinds <see cref="EventOutbox.TakePending"/> returns.</summary>
[Flags]
internal enum OutboxKinds
{
    None = 0,
    Custody = 1,
    Sensor = 2,
    All = Custody | Sensor,
}
