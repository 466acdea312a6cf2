using System.Runtime.CompilerServices;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Hub.Log;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Epcis;

/// <summary>
/// The devices' signed EPCIS events as the log holds them (PROTOCOL.md §4.6: a device-event leaf is the canonical DSSE
/// envelope whose payload is an EPCISDocument with one ObjectEvent), read in log-index order. Hub decisions are not
/// EPCIS events and are skipped. Only entries a signed checkpoint covers are read, so every event served has a proof.
/// </summary>
internal sealed class EpcisEventSource(LogReader log)
{
    private const int Batch = 256;

    /// <summary>The size of the latest checkpoint: the end of every scan that starts now.</summary>
    public long Size => log.Size;

    /// <summary>
    /// Device events with index in [<paramref name="start"/>, <paramref name="end"/>) matching <paramref name="query"/>.
    /// <paramref name="scanned"/> is the next index not yet looked at when the caller stops enumerating.
    /// </summary>
    public IEnumerable<LoggedEvent> Read(long start, long end, EpcisQuery query, StrongBox<long> scanned)
    {
        scanned.Value = start;
        for (var next = start; next < end;)
        {
            var entries = log.Entries(next, (int)Math.Min(Batch, end - next));
            if (entries.Count == 0)
            {
                yield break;
            }

            foreach (var entry in entries)
            {
                scanned.Value = entry.Index + 1;
                if (Decode(entry) is { } logged && query.Matches(logged.Event))
                {
                    yield return logged;
                }
            }

            next = entries[^1].Index + 1;
        }
    }

    private static LoggedEvent? Decode(StoredEntry entry)
    {
        if (entry.Leaf.Length < 2 || (LogLeafKind)entry.Leaf[0] != LogLeafKind.DeviceEvent
            || !EnvelopeCodec.TryDecode(entry.Leaf.AsSpan(1), LogSequencer.MaxBodySize, out var envelope, out _)
            || !EventCodec.TryReadDocument(envelope!.Payload.Span, out var document, out _)
            || document!.EpcisBody?.EventList is not [{ } objectEvent])
        {
            return null;
        }

        return new LoggedEvent(entry.Index, envelope.EventId, envelope.Payload, objectEvent);
    }
}

/// <summary>A logged device event: its log index, its event id (SHA-256 of the signed payload), the payload and its one event.</summary>
internal sealed record LoggedEvent(long Index, EventId EventId, ReadOnlyMemory<byte> Payload, ObjectEvent Event);
