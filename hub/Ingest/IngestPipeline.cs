using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Log;
using EventId = SupplyChain.Contracts.Signing.EventId;

namespace SupplyChain.Hub.Ingest;

/// <summary>
/// Runs the ingest workers (DESIGN §6): each takes its devices' messages in arrival order, admits every envelope
/// (<see cref="EventAdmission"/>), places it on the device's chain, sequences it into the log and answers on the
/// device's ack topic. Held-back events (a gap in <c>ct:seq</c>) wait in memory until the gap fills or
/// <see cref="IngestOptions.GapTimeout"/> passes.
/// <para>
/// On PostgreSQL several hubs may share the log and one device's messages may reach different hubs (an MQTT 5 shared
/// subscription). The chain is then decided by the store in the sequencing transaction (<see cref="LogSequencer.KeepsChains"/>)
/// and a worker's heads are only a cache: whenever the cache does not say "next", the head is read again from the store;
/// an event the store refuses sends the cache back to the stored head; and events held for a gap are placed again every
/// <see cref="IngestOptions.HeldRecheck"/> once the stored head has moved, since the missing events may have been
/// sequenced by another hub. A gap that stays open past the timeout is answered <c>chain_gap</c> as before, and the
/// agent resends from its lowest unacknowledged seq (PROTOCOL.md §5.3).
/// </para>
/// </summary>
internal sealed partial class IngestPipeline(
    IngestQueue queue,
    EventAdmission admission,
    IChainHeadStore heads,
    LogSequencer sequencer,
    LogReader reader,
    IAckPublisher acks,
    CustodyState custody,
    IOptions<IngestOptions> options,
    TimeProvider timeProvider,
    ILogger<IngestPipeline> logger) : BackgroundService
{
    /// <summary>Messages a worker has admitted and handed to the sequencer but not yet answered.</summary>
    private const int MaxInFlight = 4096;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, queue.Workers).Select(worker => Task.Run(() => RunWorkerAsync(worker, stoppingToken), stoppingToken)));

    /// <summary>
    /// One worker: admits and places each message as it arrives and hands its events to the sequencer without waiting,
    /// so the events of many messages share one durable write (group commit); messages are answered in arrival order
    /// once their batch is durable. Waiting per message would bound each worker to one event per durable write.
    /// </summary>
    private async Task RunWorkerAsync(int worker, CancellationToken stoppingToken)
    {
        var state = new WorkerState();
        var input = queue.Reader(worker);
        try
        {
            while (true)
            {
                await ExpireGapsAsync(state.Chains, stoppingToken);
                await RecheckHeldAsync(state, stoppingToken);
                if (!await WaitAsync(state, input, NextExpiry(state), stoppingToken))
                {
                    continue;
                }

                while (state.InFlight.Count < MaxInFlight && input.TryRead(out var item))
                {
                    try
                    {
                        await HandleMessageAsync(state, item, stoppingToken);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        // A bug or a broken store must not stop every other device of this worker; the agent resends.
                        LogMessageFailed(item.Device, exception);
                    }
                }

                await SettleAsync(state, wait: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unacknowledged and held events stay in their agents' outboxes and come again.
        }
    }

    /// <summary>Waits for input, for the oldest in-flight message's durable write, or for the next gap expiry; false when only the expiry came.</summary>
    private async Task<bool> WaitAsync(WorkerState state, System.Threading.Channels.ChannelReader<IngestItem> input, TimeSpan? wait, CancellationToken stoppingToken)
    {
        if (state.InFlight.Count == 0)
        {
            return await WaitForInputAsync(input, wait, stoppingToken);
        }

        var oldest = state.InFlight.Peek().Reply.Sequenced();
        if (state.InFlight.Count >= MaxInFlight || input.TryPeek(out _))
        {
            if (state.InFlight.Count >= MaxInFlight)
            {
                await oldest.WaitAsync(stoppingToken);
            }

            return true;
        }

        await Task.WhenAny(oldest, input.WaitToReadAsync(stoppingToken).AsTask());
        stoppingToken.ThrowIfCancellationRequested();
        return true;
    }

    private async Task<bool> WaitForInputAsync(System.Threading.Channels.ChannelReader<IngestItem> input, TimeSpan? wait, CancellationToken stoppingToken)
    {
        if (wait is null)
        {
            return await input.WaitToReadAsync(stoppingToken);
        }

        using var timer = new CancellationTokenSource(wait.Value, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
        try
        {
            return await input.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task HandleMessageAsync(WorkerState state, IngestItem item, CancellationToken cancellationToken)
    {
        var reply = new Reply();
        ChainState? chain = null;
        if (!EventMessage.TrySplit(item.Message, options.Value.MaxMessageBytes, out var elements, out var error))
        {
            var reason = error is EventMessageError.TooLarge or EventMessageError.TooManyEnvelopes ? RejectReason.TooLarge : RejectReason.MalformedEnvelope;
            reply.Add(EventAck.Rejected(null, reason, error.ToString()));
        }
        else
        {
            chain = ChainOf(state.Chains, item.Device);
            foreach (var element in elements)
            {
                if (admission.TryAdmit(item.Device, element, out var admitted, out var rejection))
                {
                    await PlaceAsync(state, chain, admitted!, reply, cancellationToken);
                }
                else
                {
                    reply.Add(rejection!);
                }
            }
        }

        state.InFlight.Enqueue(new InFlightMessage(item.Device, chain, reply));
    }

    /// <summary>
    /// Answers the in-flight messages in arrival order: all of them (<paramref name="wait"/>), or those whose events are
    /// already durable. The custody state catches up once for the whole round, and each chain head is saved once.
    /// </summary>
    private async Task SettleAsync(WorkerState state, bool wait, CancellationToken cancellationToken)
    {
        var round = new List<InFlightMessage>();
        while (state.InFlight.TryPeek(out var next) && (wait || next.Reply.IsSequenced))
        {
            round.Add(state.InFlight.Dequeue());
        }

        if (round.Count == 0)
        {
            return;
        }

        var last = -1L;
        foreach (var message in round)
        {
            last = Math.Max(last, await message.Reply.LastIndexAsync());
        }

        if (last >= 0)
        {
            try
            {
                // DESIGN §6 "then apply to state": one catch-up in index order for the round instead of one read per event.
                custody.VerdictAt(last);
            }
            catch (InvalidOperationException exception)
            {
                // A broken store: each message below meets it again and is left unanswered; its agent resends.
                LogCatchUpFailed(last, exception);
            }
        }

        var touched = new HashSet<ChainState>();
        foreach (var message in round)
        {
            try
            {
                if (message.Chain is { } chain)
                {
                    await FlushAsync(chain, message.Reply);
                    touched.Add(chain);
                }

                await AnswerAsync(message.Device, message.Reply.Answers, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // As in RunWorkerAsync: one broken message must not stop the others; its agent resends.
                LogMessageFailed(message.Device, exception);
            }
        }

        var moved = new List<KeyValuePair<DeviceId, ChainHead>>();
        foreach (var chain in touched)
        {
            if (chain.TakeUnwritten() is { } head)
            {
                moved.Add(new(chain.Device, head));
            }
        }

        if (moved.Count > 0 && !sequencer.KeepsChains)
        {
            try
            {
                heads.WriteMany(moved);
            }
            catch (Exception exception) when (Storage.DiskRoom.IsStorageFailure(exception))
            {
                // The acks still go out (the events are in the log); the next round writes these heads again.
                LogHeadsFailed(moved.Count, exception);
                foreach (var chain in touched)
                {
                    chain.ForgetWritten();
                }
            }
        }
    }

    private async Task PlaceAsync(WorkerState state, ChainState chain, AdmittedEvent admitted, Reply reply, CancellationToken cancellationToken, long? arrivedAt = null)
    {
        var id = admitted.Id.ToString();
        if (!reply.IsPending(admitted.Id) && DeviceChain.Place(chain.Head, admitted.Stamp) == ChainPlacement.Next)
        {
            // The common case needs no lookup: if the hub logged this event before but stopped before saving the head,
            // the sequencer finds the same leaf and answers with its index as a duplicate.
            Append(chain, admitted, reply, cancellationToken);
            DrainHeld(chain, reply, cancellationToken);
            return;
        }

        if (sequencer.KeepsChains && !reply.IsPending(admitted.Id) && TryPlaceAheadShared(chain, admitted, reply, arrivedAt, cancellationToken))
        {
            return;
        }

        // Anything else is decided against what is durable: the messages in flight first, then this one's events so far
        // (the same event twice in one message: the first copy reaches the log, this one is answered as a duplicate).
        await SettleAsync(state, wait: true, cancellationToken);
        await FlushAsync(chain, reply);
        if (sequencer.KeepsChains)
        {
            // Another hub may have moved this device's chain: decide against the shared store, not this worker's memory.
            chain.Refresh(heads.Read(chain.Device));
        }
        else
        {
            chain.Save(heads);
        }

        var existing = reader.IndexOfLeafHash(LogLeaf.Hash(LogLeafKind.DeviceEvent, admitted.LeafBody));
        if (existing is { } index)
        {
            // Already logged: the same answer again. If the hub stopped between logging it and saving the chain head,
            // the head is behind; an in-order resend moves it on, so the device's next event is not taken for a gap.
            if (!sequencer.KeepsChains && DeviceChain.Place(chain.Head, admitted.Stamp) is ChainPlacement.Next or ChainPlacement.Restart)
            {
                chain.Move(admitted);
                chain.Saved = chain.Head;
                chain.Save(heads);
            }

            reply.Add(AcceptedAck(id, index, duplicate: true));
            DrainHeld(chain, reply, cancellationToken);
            return;
        }

        switch (DeviceChain.Place(chain.Head, admitted.Stamp))
        {
            case ChainPlacement.Next:
                Append(chain, admitted, reply, cancellationToken);
                DrainHeld(chain, reply, cancellationToken);
                break;
            case ChainPlacement.Restart:
                LogAlarmRestart(chain.Device, chain.Head?.Seq, admitted.Stamp.Seq);
                Append(chain, admitted, reply, cancellationToken);
                DrainHeld(chain, reply, cancellationToken);
                break;
            case ChainPlacement.Ahead:
                Hold(chain, admitted, reply, arrivedAt);

                // A refreshed head (shared store) may have made an event held earlier the next one.
                DrainHeld(chain, reply, cancellationToken);
                break;
            case ChainPlacement.Fork:
                LogAlarmFork(chain.Device, admitted.Stamp.Seq, id);
                reply.Add(EventAck.Rejected(id, RejectReason.ChainFork));
                break;
            default:
                LogAlarmBroken(chain.Device, admitted.Stamp.Seq, id);
                reply.Add(EventAck.Rejected(id, RejectReason.ChainBroken));
                break;
        }
    }

    /// <summary>
    /// Shared store, an event ahead of the cached head: the usual case when one device's messages alternate between hubs.
    /// Decided without waiting for the worker's other writes (which would stop its pipeline for every device): with this
    /// chain's own appends on their way the missing events may be among them, so the event is held; with none, the cache
    /// is refreshed from the store and the event appended if it is now the next one, or else held. False when the event
    /// is not ahead; then the general path decides.
    /// </summary>
    private bool TryPlaceAheadShared(ChainState chain, AdmittedEvent admitted, Reply reply, long? arrivedAt, CancellationToken cancellationToken)
    {
        var placement = DeviceChain.Place(chain.Head, admitted.Stamp);
        if (placement != ChainPlacement.Ahead)
        {
            return false;
        }

        if (chain.InFlight == 0)
        {
            chain.Refresh(heads.Read(chain.Device));
            placement = DeviceChain.Place(chain.Head, admitted.Stamp);
            if (placement == ChainPlacement.Next)
            {
                Append(chain, admitted, reply, cancellationToken);
                DrainHeld(chain, reply, cancellationToken);
                return true;
            }
        }

        if (placement != ChainPlacement.Ahead)
        {
            return false;
        }

        Hold(chain, admitted, reply, arrivedAt);
        DrainHeld(chain, reply, cancellationToken);
        return true;
    }

    private void Hold(ChainState chain, AdmittedEvent admitted, Reply reply, long? arrivedAt)
    {
        var id = admitted.Id.ToString();
        if (chain.Held.TryGetValue(admitted.Stamp.Seq, out var held))
        {
            if (held.Event.Id != admitted.Id)
            {
                LogAlarmFork(chain.Device, admitted.Stamp.Seq, id);
                reply.Add(EventAck.Rejected(id, RejectReason.ChainFork));
            }

            // The same event again while it waits: it is answered once the gap fills or times out.
            return;
        }

        if (chain.Held.Count >= options.Value.MaxHeldPerDevice)
        {
            reply.Add(EventAck.Rejected(id, RejectReason.ChainGap, "HoldFull"));
            return;
        }

        chain.Held.Add(admitted.Stamp.Seq, new HeldEvent(admitted, arrivedAt ?? timeProvider.GetTimestamp()));
        LogHeld(chain.Device, admitted.Stamp.Seq, chain.Head?.Seq);
    }

    private void DrainHeld(ChainState chain, Reply reply, CancellationToken cancellationToken)
    {
        while (chain.Held.Count > 0)
        {
            var nextSeq = chain.Head is { } head ? head.Seq + 1 : 0;
            if (!chain.Held.Remove(nextSeq, out var held))
            {
                return;
            }

            if (DeviceChain.Place(chain.Head, held.Event.Stamp) != ChainPlacement.Next)
            {
                LogAlarmBroken(chain.Device, nextSeq, held.Event.Id.ToString());
                reply.Add(EventAck.Rejected(held.Event.Id.ToString(), RejectReason.ChainBroken));
                continue;
            }

            Append(chain, held.Event, reply, cancellationToken);
        }
    }

    /// <summary>
    /// Starts sequencing without waiting, and moves the chain head in memory as if it succeeded: the sequencer keeps
    /// call order, so the events of a batch share one durable write and get indexes in <c>seq</c> order.
    /// <see cref="FlushAsync"/> then waits for them and fills in the acks.
    /// </summary>
    private void Append(ChainState chain, AdmittedEvent admitted, Reply reply, CancellationToken cancellationToken)
    {
        var link = sequencer.KeepsChains ? new ChainLink(chain.Device, admitted.Stamp, admitted.Id) : null;
        var entry = LogSequencer.Prepare(LogLeafKind.DeviceEvent, admitted.LeafBody, link);
        var sequencing = sequencer.AppendAsync(entry, cancellationToken);
        _ = OfferWhenStoredAsync(sequencing, new DeviceEventFact(admitted.Id, admitted.Event), entry.LeafHash);
        reply.Pend(admitted, sequencing, chain.Generation);
        chain.InFlight++;
        chain.Move(admitted);
    }

    /// <summary>
    /// Hands the custody state the decoded fact the moment its entry is durable (the continuation runs as the append
    /// completes), before a worker's catch-up reads up to it: a catch-up past an entry not yet offered decodes the stored
    /// envelope again. A failed or refused append offers nothing; the pipeline answers it in <see cref="FlushAsync"/>.
    /// </summary>
    private async Task OfferWhenStoredAsync(Task<SequenceResult> sequencing, DeviceEventFact fact, byte[] leafHash)
    {
        try
        {
            if (await sequencing.ConfigureAwait(false) is { Refused: null, IsDuplicate: false } stored)
            {
                custody.Offer(stored.Index, fact, leafHash, LogLeafKind.DeviceEvent);
            }
        }
        catch (LogUnavailableException)
        {
            // Not stored: FlushAsync answers it.
        }
        catch (OperationCanceledException)
        {
            // Shutting down: nothing was answered, the agent resends.
        }
    }

    /// <summary>
    /// Waits for the message's appends, moves the confirmed head and fills in the acks. When the log could not store an
    /// event, the head goes back to the last confirmed one (a new generation): later events of the chain that were
    /// already on their way are left unanswered even if stored, so the agent resends them after the failed one and they
    /// come back as duplicates in order. The caller saves the head.
    /// </summary>
    private async Task FlushAsync(ChainState chain, Reply reply)
    {
        foreach (var pending in reply.TakePending())
        {
            chain.InFlight--;
            try
            {
                var sequenced = await pending.Sequencing;
                if (sequenced.Refused is { } refusal)
                {
                    reply.Answer(pending.Slot, Refuse(chain, pending, refusal));
                    continue;
                }

                if (pending.Generation != chain.Generation)
                {
                    continue;
                }

                chain.Saved = new ChainHead(pending.Event.Stamp.Seq, pending.Event.Id);
                reply.Answer(pending.Slot, AcceptedAck(pending.Event.Id.ToString(), sequenced.Index, sequenced.IsDuplicate));
            }
            catch (LogUnavailableException)
            {
                reply.Answer(pending.Slot, EventAck.Rejected(pending.Event.Id.ToString(), RejectReason.HubUnavailable));
                if (pending.Generation == chain.Generation)
                {
                    chain.Generation++;
                    chain.Head = chain.Saved;
                }
            }
        }
    }

    /// <summary>
    /// The shared store refused an event this worker placed as the next of its chain: the worker's memory was wrong
    /// (another hub took that seq, or an earlier event of this worker failed). The head goes back to the stored one (a
    /// new generation, as for a failed append). A fork or broken link is answered as such; anything else asks the agent
    /// to resend in order (<c>chain_gap</c>).
    /// </summary>
    private EventAck Refuse(ChainState chain, PendingAppend pending, ChainPlacement refusal)
    {
        var id = pending.Event.Id.ToString();
        if (pending.Generation == chain.Generation)
        {
            chain.Generation++;
            chain.Refresh(heads.Read(chain.Device));
        }

        switch (refusal)
        {
            case ChainPlacement.Fork:
                LogAlarmFork(chain.Device, pending.Event.Stamp.Seq, id);
                return EventAck.Rejected(id, RejectReason.ChainFork);
            case ChainPlacement.Broken:
                LogAlarmBroken(chain.Device, pending.Event.Stamp.Seq, id);
                return EventAck.Rejected(id, RejectReason.ChainBroken);
            default:
                return EventAck.Rejected(id, RejectReason.ChainGap, "StoredHeadMoved");
        }
    }

    /// <summary>
    /// On a shared store, places the events held for a gap again once their device's stored head has moved: the missing
    /// events may have reached another hub and been sequenced there. Every <see cref="IngestOptions.HeldRecheck"/>.
    /// </summary>
    private async Task RecheckHeldAsync(WorkerState state, CancellationToken cancellationToken)
    {
        if (!sequencer.KeepsChains || timeProvider.GetElapsedTime(state.LastRecheck) < options.Value.HeldRecheck)
        {
            return;
        }

        state.LastRecheck = timeProvider.GetTimestamp();

        // Chains with their own appends on their way are left for the next round: their stored head is about to move.
        var waiting = state.Chains.Values.Where(chain => chain.Held.Count > 0 && chain.InFlight == 0).ToList();
        if (waiting.Count == 0)
        {
            return;
        }

        IReadOnlyDictionary<DeviceId, ChainHead> stored;
        try
        {
            stored = heads.ReadMany([.. waiting.Select(chain => chain.Device)]);
        }
        catch (Npgsql.NpgsqlException exception)
        {
            // The database is away: the held events wait for the next recheck or their timeout.
            LogMessageFailed(waiting[0].Device, exception);
            return;
        }

        foreach (var chain in waiting)
        {
            // Compared with the stored head, not the cache: the cache may have been refreshed already (by a later
            // event of the device) without the held ones being placed again.
            ChainHead? head = stored.TryGetValue(chain.Device, out var found) ? found : null;
            chain.Refresh(head);
            if (chain.Held.Keys.First() > (head is { } h ? h.Seq + 1 : 0))
            {
                continue;
            }

            var held = chain.Held.Values.OrderBy(e => e.Event.Stamp.Seq).ToList();
            chain.Held.Clear();
            var reply = new Reply();
            foreach (var one in held)
            {
                await PlaceAsync(state, chain, one.Event, reply, cancellationToken, one.ArrivedAt);
            }

            state.InFlight.Enqueue(new InFlightMessage(chain.Device, chain, reply));
        }
    }

    /// <summary>
    /// DESIGN §6 "then apply to state": the custody state applies the log up to this entry, in index order, and the ack
    /// carries the rules' verdict (PROTOCOL §5.3). A duplicate gets the verdict its entry got when first applied.
    /// </summary>
    private EventAck AcceptedAck(string eventId, long index, bool duplicate)
    {
        var verdict = custody.VerdictAt(index);
        return EventAck.Accepted(eventId, index, duplicate, verdict?.Name ?? EventAck.VerdictAccepted) with { Detail = verdict?.Detail };
    }

    private async Task ExpireGapsAsync(Dictionary<DeviceId, ChainState> chains, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetTimestamp();
        foreach (var chain in chains.Values)
        {
            if (chain.Held.Count == 0 || timeProvider.GetElapsedTime(chain.OldestHeld, now) < options.Value.GapTimeout)
            {
                continue;
            }

            LogAlarmGap(chain.Device, chain.Held.Count, chain.Head?.Seq);
            var answers = chain.Held.Values.Select(held => EventAck.Rejected(held.Event.Id.ToString(), RejectReason.ChainGap)).ToList();
            chain.Held.Clear();
            await AnswerAsync(chain.Device, answers, cancellationToken);
        }
    }

    private TimeSpan? NextExpiry(WorkerState state)
    {
        TimeSpan? next = null;
        var now = timeProvider.GetTimestamp();
        if (sequencer.KeepsChains && state.Chains.Values.Any(chain => chain.Held.Count > 0))
        {
            next = options.Value.HeldRecheck - timeProvider.GetElapsedTime(state.LastRecheck, now);
            next = next < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : next;
        }

        foreach (var chain in state.Chains.Values)
        {
            if (chain.Held.Count == 0)
            {
                continue;
            }

            var remaining = options.Value.GapTimeout - timeProvider.GetElapsedTime(chain.OldestHeld, now);
            remaining = remaining < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : remaining;
            next = next is null || remaining < next ? remaining : next;
        }

        return next;
    }

    private ChainState ChainOf(Dictionary<DeviceId, ChainState> chains, DeviceId device)
    {
        if (!chains.TryGetValue(device, out var chain))
        {
            chain = new ChainState(device, heads.Read(device));
            chains.Add(device, chain);
        }

        return chain;
    }

    private async Task AnswerAsync(DeviceId device, List<EventAck> answers, CancellationToken cancellationToken)
    {
        if (answers.Count == 0)
        {
            return;
        }

        try
        {
            await acks.PublishAckAsync(device, new AckMessage { Acks = answers }, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Lost acks are safe: the agent resends and gets the duplicate's index.
            LogAckFailed(device, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ALARM device {Device} restarted its chain at seq {Seq} after head {Head}: the events in between were lost on the device")]
    private partial void LogAlarmRestart(DeviceId device, long? head, long seq);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest of a message from device {Device} failed")]
    private partial void LogMessageFailed(DeviceId device, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving {Count} chain heads failed")]
    private partial void LogHeadsFailed(int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The custody state could not catch up to log index {Index}")]
    private partial void LogCatchUpFailed(long index, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acks to device {Device} could not be published")]
    private partial void LogAckFailed(DeviceId device, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {Device}: event seq {Seq} held back, chain head is {Head}")]
    private partial void LogHeld(DeviceId device, long seq, long? head);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "ALARM chain_gap: device {Device} left {Count} events waiting past the gap timeout; chain head {Head}")]
    private partial void LogAlarmGap(DeviceId device, int count, long? head);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "ALARM chain_fork: device {Device} sent event {EventId} for seq {Seq}, which another event holds")]
    private partial void LogAlarmFork(DeviceId device, long seq, string eventId);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "ALARM chain_broken: device {Device} sent event {EventId} for seq {Seq} whose prev is not the chain head")]
    private partial void LogAlarmBroken(DeviceId device, long seq, string eventId);

    private sealed record HeldEvent(AdmittedEvent Event, long ArrivedAt);

    private sealed record PendingAppend(AdmittedEvent Event, Task<SequenceResult> Sequencing, int Slot, int Generation);

    /// <summary>A message admitted and placed, waiting for its events' durable write; <see cref="Chain"/> is null when it did not split.</summary>
    private sealed record InFlightMessage(DeviceId Device, ChainState? Chain, Reply Reply);

    /// <summary>A worker's devices' chains and its messages in flight, touched only by that worker.</summary>
    private sealed class WorkerState
    {
        public Dictionary<DeviceId, ChainState> Chains { get; } = [];

        public Queue<InFlightMessage> InFlight { get; } = new();

        /// <summary>When held events were last placed again against the shared store (<see cref="RecheckHeldAsync"/>).</summary>
        public long LastRecheck { get; set; }
    }

    /// <summary>The answers to one message, in element order, with the appends still under way.</summary>
    private sealed class Reply
    {
        private readonly List<EventAck?> _answers = [];
        private List<PendingAppend> _pending = [];

        public List<EventAck> Answers => [.. _answers.OfType<EventAck>()];

        public void Add(EventAck ack) => _answers.Add(ack);

        /// <summary>True when every append of this message has finished (stored or failed).</summary>
        public bool IsSequenced => _pending.TrueForAll(p => p.Sequencing.IsCompleted);

        public void Pend(AdmittedEvent admitted, Task<SequenceResult> sequencing, int generation)
        {
            _pending.Add(new PendingAppend(admitted, sequencing, _answers.Count, generation));
            _answers.Add(null);
        }

        /// <summary>Completes when every append of this message has finished; never faults.</summary>
        public Task Sequenced() => _pending.Count switch
        {
            0 => Task.CompletedTask,
            1 => _pending[0].Sequencing.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default),
            _ => Task.WhenAll(_pending.Select(p => p.Sequencing)).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default),
        };

        /// <summary>The largest index this message's appends got, −1 when none was stored.</summary>
        public async Task<long> LastIndexAsync()
        {
            var last = -1L;
            foreach (var pending in _pending)
            {
                try
                {
                    last = Math.Max(last, (await pending.Sequencing).Index);
                }
                catch (LogUnavailableException)
                {
                    // Not stored: nothing to apply for it.
                }
            }

            return last;
        }

        public bool IsPending(EventId id) => _pending.Exists(p => p.Event.Id == id);

        public List<PendingAppend> TakePending()
        {
            var taken = _pending;
            _pending = [];
            return taken;
        }

        public void Answer(int slot, EventAck? ack) => _answers[slot] = ack;
    }

    private sealed class ChainState(DeviceId device, ChainHead? head)
    {
        private ChainHead? _written = head;

        public DeviceId Device { get; } = device;

        /// <summary>The head including appends under way.</summary>
        public ChainHead? Head { get; set; } = head;

        /// <summary>The head as far as the log has confirmed it.</summary>
        public ChainHead? Saved { get; set; } = head;

        public SortedDictionary<long, HeldEvent> Held { get; } = [];

        /// <summary>Moves on each time a failed append sends the head back to <see cref="Saved"/>; appends of an older generation are not answered.</summary>
        public int Generation { get; set; }

        public long OldestHeld => Held.Values.Min(held => held.ArrivedAt);

        public void Move(AdmittedEvent admitted) => Head = new ChainHead(admitted.Stamp.Seq, admitted.Id);

        /// <summary>Appends of this chain handed to the sequencer and not yet flushed.</summary>
        public int InFlight { get; set; }

        /// <summary>Takes the head the shared store holds (nothing of this worker's is on its way for the chain).</summary>
        public void Refresh(ChainHead? stored)
        {
            Head = stored;
            Saved = stored;
            _written = stored;
        }

        /// <summary>Writes <see cref="Saved"/> to the store if it moved since the last write.</summary>
        public void Save(IChainHeadStore store)
        {
            if (TakeUnwritten() is { } confirmed)
            {
                store.Write(Device, confirmed);
            }
        }

        /// <summary>The last write failed: the next <see cref="TakeUnwritten"/> returns the head again.</summary>
        public void ForgetWritten() => _written = null;

        /// <summary><see cref="Saved"/> if it moved since the last write, which the caller then writes; null otherwise.</summary>
        public ChainHead? TakeUnwritten()
        {
            if (Saved is { } confirmed && Saved != _written)
            {
                _written = confirmed;
                return confirmed;
            }

            return null;
        }
    }
}
