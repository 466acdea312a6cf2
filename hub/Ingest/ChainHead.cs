using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Ingest;

/// <summary>The last event of a device's chain that is in the log: its <c>ct:seq</c> and event id (PROTOCOL.md §2.2).</summary>
internal readonly record struct ChainHead(long Seq, EventId EventId);
