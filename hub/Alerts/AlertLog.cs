using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Verification;

namespace SupplyChain.Hub.Alerts;

/// <summary>
/// What people must be told (DESIGN §6 "State: alerts"): every alert of every applied fact (a red finding, or what became
/// true as its consequence — compromised, suspect, custody broken), newest last, bounded by <see cref="AlertOptions.Keep"/>.
/// Fed by <see cref="CustodyState"/> in log order, so the replay at start rebuilds it; the log stays the record.
/// </summary>
internal sealed class AlertLog(IOptions<AlertOptions> options) : ICustodyObserver
{
    private readonly Lock _gate = new();
    private readonly Queue<Alert> _alerts = new();
    private long _total;

    public void Applied(long index, ChainFact fact, RuleOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(fact);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Alerts.Count == 0)
        {
            return;
        }

        var device = fact is DeviceEventFact deviceEvent ? deviceEvent.Event.Device.DeviceId : null;
        var site = fact is DeviceEventFact located ? located.Event.ReadPoint : null;
        lock (_gate)
        {
            foreach (var finding in outcome.Alerts)
            {
                _alerts.Enqueue(new Alert(
                    index,
                    fact.At,
                    VerificationResponse.Code(finding.Reason),
                    finding.Pack?.ToDigitalLink(),
                    device,
                    site,
                    outcome.Findings.Contains(finding) ? "red" : "consequence"));
                _total++;
                while (_alerts.Count > options.Value.Keep)
                {
                    _alerts.Dequeue();
                }
            }
        }
    }

    /// <summary>The newest alerts first, at most <paramref name="limit"/>, optionally only those at or after log index <paramref name="since"/>.</summary>
    public (IReadOnlyList<Alert> Alerts, long Total) Newest(int limit, long since)
    {
        lock (_gate)
        {
            return ([.. _alerts.Reverse().Where(a => a.Index >= since).Take(limit)], _total);
        }
    }
}

/// <summary>One alert: the log entry that raised it, when (the fact's time), why, and about what.</summary>
/// <param name="Index">Log index of the fact.</param>
/// <param name="Time">The fact's time (event time or decision time).</param>
/// <param name="Reason">The rule reason, snake_case as in verification answers (PROTOCOL.md §6.7).</param>
/// <param name="Pack">The pack's Digital Link URI, when the alert is about one.</param>
/// <param name="Device">The device whose event raised it (none for hub decisions).</param>
/// <param name="Site">The event's read point.</param>
/// <param name="Kind"><c>red</c> when it made the verdict red, <c>consequence</c> when it became true as a result.</param>
internal sealed record Alert(long Index, DateTimeOffset Time, string Reason, string? Pack, string? Device, string? Site, string Kind);

/// <summary>The "Alerts" configuration section.</summary>
internal sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>How many alerts the hub keeps in memory for the API (older ones remain in the log).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000_000, ErrorMessage = "Alerts:Keep must lie between 1 and 10000000.")]
    public int Keep { get; set; } = 10_000;
}
