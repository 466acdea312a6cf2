using System.Globalization;
using System.Text;
using SupplyChain.Agent.Outbox;

namespace SupplyChain.Agent.Feedback;

/// <summary>
/// Writes every signal the operator is shown as one line to a file or to standard output (<c>Feedback:SignalFile</c>,
/// "-" = stdout): an audit trail of what the station confirmed, readable from outside the process.
/// <para>
/// Line format (docs/OPERATIONS.md "Feedback"), fields separated by one space, UTF-8, <c>\n</c>-terminated:
/// <c>{UTC time, ISO 8601 with milliseconds} green {seq} {event id}</c> for a custody event that is on disk in the outbox
/// (DESIGN.md §5), <c>… blink</c> for a scan taken into an open batch, <c>… beep {reason}</c> for an ignored duplicate, and
/// <c>… red {reason}</c> for a refusal. A green without a new event in the outbox since the previous signal is written
/// as <c>… green</c> alone.
/// </para>
/// <para>
/// Each line is written with one synchronous, unbuffered <c>write(2)</c> before the LED or buzzer is shown and before
/// the station takes the next scan — not through the logger, whose console output is queued — so once the operator saw a
/// green, a kill of the process cannot lose its line. The line is not fsynced (one more disk flush per scan, on a card
/// that already flushes the outbox): a power cut may lose the last lines, never the events, which are on disk first.
/// </para>
/// </summary>
internal sealed class SignalFile : IFeedback, IDisposable
{
    /// <summary>The <c>Feedback:SignalFile</c> value meaning standard output.</summary>
    public const string StandardOutput = "-";

    private readonly Stream _stream;
    private readonly Func<AppendResult?> _lastAppended;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private long _reportedSeq = -1;

    private SignalFile(Stream stream, Func<AppendResult?> lastAppended, TimeProvider timeProvider)
    {
        _stream = stream;
        _lastAppended = lastAppended;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Opens <paramref name="path"/> for appending (created if missing), or standard output for "-".
    /// <paramref name="lastAppended"/> names the outbox's latest committed custody event (<see cref="EventOutbox.LastAppended"/>).
    /// </summary>
    public static SignalFile Open(string path, Func<AppendResult?> lastAppended, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(lastAppended);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return path == StandardOutput
            ? new SignalFile(Console.OpenStandardOutput(), lastAppended, timeProvider)
            : new SignalFile(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0), lastAppended, timeProvider);
    }

    /// <summary>The line for <paramref name="outcome"/> at <paramref name="time"/>, without the newline.</summary>
    public static string Format(DateTimeOffset time, ScanOutcome outcome, AppendResult? appended)
    {
        var stamp = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return outcome.Signal switch
        {
            Signal.Green when appended is { IsAppended: true } a =>
                string.Create(CultureInfo.InvariantCulture, $"{stamp} green {a.Seq} {a.EventId}"),
            Signal.Green => $"{stamp} green",
            Signal.Blink => $"{stamp} blink",
            Signal.ShortBeep => $"{stamp} beep {OneLine(outcome.Reason)}",
            Signal.Red => $"{stamp} red {OneLine(outcome.Reason)}",
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Signal, null),
        };
    }

    public ValueTask ShowAsync(Signal signal, CancellationToken cancellationToken) =>
        ShowAsync(new ScanOutcome(signal), cancellationToken);

    public ValueTask ShowAsync(ScanOutcome outcome, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Only an event committed since the previous signal belongs to this green.
            var appended = _lastAppended();
            var fresh = appended is { } a && a.Seq > _reportedSeq ? appended : null;
            if (appended is { } seen)
            {
                _reportedSeq = Math.Max(_reportedSeq, seen.Seq);
            }

            var line = Encoding.UTF8.GetBytes(Format(_timeProvider.GetUtcNow(), outcome, fresh) + "\n");
            _stream.Write(line);
            _stream.Flush();
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose() => _stream.Dispose();

    // A reason is free text from the workflow; the file keeps one signal per line.
    private static string OneLine(string? reason) =>
        string.IsNullOrEmpty(reason) ? "-" : string.Concat(reason.Select(c => char.IsControl(c) ? ' ' : c));
}
