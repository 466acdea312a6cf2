using Microsoft.Extensions.Options;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Audit;

/// <summary>
/// Runs the same audit as <c>coldtrace-hub log audit</c> (<see cref="LogAudit"/>) inside the running hub, on request,
/// over an <see cref="AuditSnapshot"/> of the live store. Bounded: one run at a time (a second request while one runs is
/// refused), at most <see cref="Timeout"/> long, cancelled when the hub stops. Keeps only the last run's status.
/// </summary>
internal sealed partial class AuditRunner(
    ILogStore store, HubSigningKey key, IOptions<LogOptions> options, TimeProvider time, ILogger<AuditRunner> logger) : IHostedService, IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private AuditStatus _status = AuditStatus.Never;
    private Task _run = Task.CompletedTask;

    public AuditStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Starts an audit for <paramref name="actor"/>; false when one is already running.</summary>
    public bool TryStart(string actor)
    {
        lock (_gate)
        {
            if (_status.Running)
            {
                return false;
            }

            _status = new AuditStatus(Running: true, actor, time.GetUtcNow(), Finished: null, Done: 0, Total: 0, Report: null);
            _run = Task.Run(() => Run(actor), CancellationToken.None);
            return true;
        }
    }

    /// <summary>Waits for the current run, if any (tests, and the stop).</summary>
    public Task Completion
    {
        get
        {
            lock (_gate)
            {
                return _run;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Completion.WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    private void Run(string actor)
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, timeout.Token);
        var started = time.GetTimestamp();
        AuditReport report;
        try
        {
            var progress = new Progress(this);
            report = new LogAudit(new AuditSnapshot(store), key.Verifier, options.Value.Origin).Run(progress, linked.Token);
        }
        catch (OperationCanceledException)
        {
            report = AuditReport.Failed(null, _stopping.IsCancellationRequested ? "stopped with the hub" : $"not finished within {Timeout.TotalMinutes:0} minutes");
        }
        catch (Exception exception)
        {
            // A broken store must end in a failed audit people can read, not in an unobserved task.
            LogAuditCrashed(exception);
            report = AuditReport.Failed(null, $"the audit could not read the log: {exception.Message}");
        }

        lock (_gate)
        {
            _status = _status with { Running = false, Finished = time.GetUtcNow(), Report = report };
        }

        var elapsed = time.GetElapsedTime(started);
        LogAudited(actor, report.IsClean, report.Entries, elapsed.TotalMilliseconds, report.Failure ?? "clean");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Log audit requested by {Actor}: clean {Clean}, {Entries} entries in {Milliseconds:F0} ms ({Result})")]
    private partial void LogAudited(string actor, bool clean, long entries, double milliseconds, string result);

    [LoggerMessage(Level = LogLevel.Error, Message = "Log audit failed to run")]
    private partial void LogAuditCrashed(Exception exception);

    /// <summary>Reports progress straight into the status (no synchronisation context, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class Progress(AuditRunner runner) : IProgress<AuditProgress>
    {
        public void Report(AuditProgress value)
        {
            lock (runner._gate)
            {
                runner._status = runner._status with { Done = value.Done, Total = value.Total };
            }
        }
    }
}

/// <summary>The last audit: who asked, when it started and finished, how far it got, and its report once done.</summary>
internal sealed record AuditStatus(bool Running, string? RequestedBy, DateTimeOffset? Started, DateTimeOffset? Finished, long Done, long Total, AuditReport? Report)
{
    public static readonly AuditStatus Never = new(false, null, null, null, 0, 0, null);
}
