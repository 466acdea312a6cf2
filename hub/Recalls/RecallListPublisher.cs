using System.Text;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Recalls;

/// <summary>
/// Builds, signs with the log key and publishes (retained) the recall list of sites (PROTOCOL.md §5.6). One publish at a
/// time: each reads the state when it runs, so a later message never carries an older version than an earlier one.
/// </summary>
internal sealed partial class RecallListPublisher(
    CustodyState custody,
    HubSigningKey key,
    IHubPublisher publisher,
    TimeProvider time,
    ILogger<RecallListPublisher> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Publishes the current list of each site; returns the lists published (empty when no broker runs). With
    /// <paramref name="catchUp"/> false the lists stand on the entries already applied, without reading the log store.
    /// </summary>
    public async Task<IReadOnlyList<RecallList>> PublishAsync(IEnumerable<Gln> sites, CancellationToken cancellationToken, bool catchUp = true)
    {
        var wanted = sites.Distinct().OrderBy(s => s.Value, StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            Func<Func<Contracts.Rules.CustodyRules, long, List<RecallList>>, List<RecallList>> read = catchUp ? custody.Read : custody.ReadApplied;
            var lists = read((rules, applied) => wanted
                .Select(site => new RecallList(
                    site,
                    applied,
                    now,
                    [.. rules.RecalledPacksAt(site).Select(pack => new RecalledPack(pack, rules.Find(pack)!.Recalls[0]))]))
                .ToList());
            var published = new List<RecallList>(lists.Count);
            foreach (var list in lists)
            {
                try
                {
                    await publisher.PublishAsync(ColdTraceTopic.SiteRecalls(list.Site), Encoding.UTF8.GetBytes(list.Sign(key.Signer)), retain: true, cancellationToken);
                    published.Add(list);
                }
                catch (InvalidOperationException exception)
                {
                    // No broker (disabled, or stopping): the list is rebuilt from the log and published at the next start.
                    LogNotPublished(list.Site.Value, exception);
                }
            }

            return published;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every site concerned by an open recall (PROTOCOL.md §6.5 "affected sites"), in the state applied so far.</summary>
    public IReadOnlyList<Gln> SitesWithOpenRecalls() =>
        custody.ReadApplied((rules, _) => rules.OpenRecalls.SelectMany(id => rules.Impact(id)?.Sites ?? []).Distinct().ToList());

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recall list of site {Site} not published")]
    private partial void LogNotPublished(string site, Exception exception);
}

/// <summary>
/// Publishes the recall list of every site with an open recall when the hub starts and whenever its path to the broker
/// is new (<see cref="IHubPublisher.Connected"/>): the embedded broker keeps retained messages in memory only, and an
/// external broker that crashed may have lost them. It works on the state already applied and does not read the log
/// store: concurrent LiteDB reads while the integrator commits have failed with "page type must be collection page"
/// (LiteDB #2792), and a stale-by-milliseconds list is corrected by the next decision.
/// </summary>
internal sealed partial class RecallListStartup(
    RecallListPublisher publisher,
    RecallLedger ledger,
    IHubPublisher hub,
    ILogger<RecallListStartup> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        hub.Connected += OnConnected;
        return RepublishAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        hub.Connected -= OnConnected;
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose() => _stopping.Dispose();

    private void OnConnected(object? sender, EventArgs args) => _ = RepublishInBackgroundAsync();

    private async Task RepublishInBackgroundAsync()
    {
        try
        {
            await RepublishAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the next start publishes again.
        }
        catch (ObjectDisposedException)
        {
            // Stopped while the broker reconnected.
        }
        catch (InvalidOperationException exception)
        {
            LogRepublishFailed(exception);
        }
    }

    private Task RepublishAsync(CancellationToken cancellationToken) =>
        ledger.List().Any(r => r.IsOpen)
            ? publisher.PublishAsync(publisher.SitesWithOpenRecalls(), cancellationToken, catchUp: false)
            : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recall lists not republished after the broker connection came back")]
    private partial void LogRepublishFailed(Exception exception);
}
