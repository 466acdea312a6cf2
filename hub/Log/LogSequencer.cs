using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// Gives entries durable indexes in batches (Tessera's "sequencing"): callers wait until the batch holding their entry
/// is committed, then learn its index and whether it was already in the log. Integration into the tree happens later
/// and separately (<see cref="LogIntegrator"/>).
/// </summary>
internal sealed partial class LogSequencer(
    ILogStore store,
    IOptions<LogOptions> options,
    TimeProvider timeProvider,
    ILogger<LogSequencer> logger) : BackgroundService
{
    /// <summary>The largest leaf body: the leaf (kind byte + body) must fit a tlog-tiles uint16 length.</summary>
    public const int MaxBodySize = ushort.MaxValue - 1;

    private readonly Channel<Request> _queue = Channel.CreateBounded<Request>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>
    /// Appends <paramref name="body"/> as a leaf of <paramref name="kind"/>, or returns the index the same leaf already has
    /// (device events are canonically encoded and Ed25519 is deterministic, so a retransmitted event is the same leaf).
    /// </summary>
    public Task<SequenceResult> AppendAsync(LogLeafKind kind, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        AppendAsync(kind, body, link: null, cancellationToken);

    /// <summary>
    /// As above, for a device event with its chain link: a store that <see cref="KeepsChains"/> stores it only as the next
    /// link of its device's chain and otherwise answers <see cref="SequenceResult.Refused"/>; other stores ignore the link.
    /// </summary>
    public Task<SequenceResult> AppendAsync(LogLeafKind kind, ReadOnlyMemory<byte> body, ChainLink? link, CancellationToken cancellationToken) =>
        AppendAsync(Prepare(kind, body, link), cancellationToken);

    /// <summary>The leaf and leaf hash <see cref="AppendAsync(PendingEntry, CancellationToken)"/> stores for a body of <paramref name="kind"/>.</summary>
    public static PendingEntry Prepare(LogLeafKind kind, ReadOnlyMemory<byte> body, ChainLink? link)
    {
        // tlog-tiles entry bundles prefix each leaf with a uint16 length; callers check payload sizes long before this.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(body.Length, MaxBodySize);
        var leaf = LogLeaf.Encode(kind, body.Span);
        return new PendingEntry(leaf, Rfc9162.HashLeaf(leaf), link);
    }

    /// <summary>Appends a prepared entry (<see cref="Prepare"/>), or returns the index the same leaf already has.</summary>
    public async Task<SequenceResult> AppendAsync(PendingEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var request = new Request(entry);
        await _queue.Writer.WriteAsync(request, cancellationToken);
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Whether the store decides device chains in the sequencing transaction (<see cref="ILogStore.KeepsChains"/>).</summary>
    public bool KeepsChains => store.KeepsChains;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<Request>(options.Value.BatchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await FillBatchAsync(reader, batch, stoppingToken);
                WriteBatch(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued was never acknowledged, so its senders will retry.
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (reader.TryRead(out var pending))
            {
                pending.Completion.TrySetCanceled(stoppingToken);
            }

            foreach (var pending in batch)
            {
                pending.Completion.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task FillBatchAsync(ChannelReader<Request> reader, List<Request> batch, CancellationToken stoppingToken)
    {
        var size = options.Value.BatchSize;
        var deadline = timeProvider.GetTimestamp() + (long)(options.Value.BatchPeriod.TotalSeconds * timeProvider.TimestampFrequency);
        while (batch.Count < size)
        {
            while (batch.Count < size && reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            var remaining = timeProvider.GetElapsedTime(timeProvider.GetTimestamp(), deadline);
            if (batch.Count >= size || remaining <= TimeSpan.Zero)
            {
                return;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(remaining);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void WriteBatch(List<Request> batch)
    {
        IReadOnlyList<SequenceResult> results;
        try
        {
            results = store.Sequence(batch.ConvertAll(request => request.Entry));
        }
        catch (Exception exception) when (exception is IOException or LiteDB.LiteException or UnauthorizedAccessException or Npgsql.NpgsqlException)
        {
            // A full or broken disk: nothing of this batch is durable, so every caller is told so and keeps its event.
            LogBatchFailed(batch.Count, exception);
            foreach (var request in batch)
            {
                request.Completion.TrySetException(new LogUnavailableException("The log could not store the entry.", exception));
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sequencing a batch of {Count} entries failed; none of them was stored")]
    private partial void LogBatchFailed(int count, Exception exception);

    private sealed class Request(PendingEntry entry)
    {
        public PendingEntry Entry { get; } = entry;

        public TaskCompletionSource<SequenceResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The log cannot take entries now (its storage failed); the caller keeps the entry and retries later.</summary>
internal sealed class LogUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Another integrator got further first (several hubs on one database): this one must not sign; it steps down.</summary>
internal sealed class IntegrationFencedException(string message) : Exception(message);
