using System.Net.Http.Headers;
using System.Text.Json;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Tests.Events;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Epcis;

/// <summary>
/// A hub holding a known set of signed events (the fixtures the filter tests count on): A1 and A2 commissioned at the
/// maker, shipped to the wholesaler, received, shipped to the pharmacy, received, A1 dispensed; three fridge reports at
/// the wholesaler (4.0–5.5 °C, 7.0–9.5 °C, 1.0–3.0 °C). Times: each device's n-th event is at T0 + n minutes.
/// </summary>
public sealed class EpcisFixture : IAsyncLifetime
{
    public const string Fridge = "https://id.gs1.org/8004/9506000134352F2";
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private ChainSites? _sites;
    private ChainDevice? _sensor;
    private ApiUser? _auditor;

    internal RunningHub Hub { get; private set; } = null!;

    internal ApiUser Auditor => _auditor!;

    /// <summary>Each fixture event by name, with its log index and the envelope the device signed.</summary>
    internal Dictionary<string, (long Index, Envelope Envelope)> Events { get; } = [];

    public long Index(string name) => Events[name].Index;

    public async Task InitializeAsync()
    {
        Hub = await RunningHub.StartAsync();
        _sites = await ChainSites.EnrolAsync(Hub);
        _sensor = await ChainDevice.EnrolAsync(Hub, "fridge-1", ChainSites.WholesalerGln, "sensor");
        var (maker, wholesaler, pharmacy) = (_sites.Maker, _sites.Wholesaler, _sites.Pharmacy);
        await SendAsync("commission", maker, maker.Commission("A1", "A2"));
        await SendAsync("maker-ship", maker, maker.Ship(ChainSites.WholesalerGln, "A1", "A2"));
        await SendAsync("wholesaler-receive", wholesaler, wholesaler.Receive(ChainSites.MakerGln, "A1", "A2"));
        await SendAsync("wholesaler-ship", wholesaler, wholesaler.Ship(ChainSites.PharmacyGln, "A1", "A2"));
        await SendAsync("pharmacy-receive", pharmacy, pharmacy.Receive(ChainSites.WholesalerGln, "A1", "A2"));
        await SendAsync("dispense", pharmacy, pharmacy.Dispense("A1"));
        await SendAsync("report-normal", _sensor, Report(4.0m, 5.5m));
        await SendAsync("report-warm", _sensor, Report(7.0m, 9.5m));
        await SendAsync("report-cold", _sensor, Report(1.0m, 3.0m));
        await WaitIntegratedAsync(Hub, Events.Values.Max(e => e.Index));
        _auditor = ApiUser.Add(Hub, "audrey", "auditor");
    }

    public async Task DisposeAsync()
    {
        _auditor?.Dispose();
        if (_sensor is not null)
        {
            await _sensor.DisposeAsync();
        }

        if (_sites is not null)
        {
            await _sites.DisposeAsync();
        }

        await Hub.DisposeAsync();
    }

    /// <summary>Waits until a checkpoint covers <paramref name="index"/>: the EPCIS API serves only signed entries.</summary>
    internal static async Task WaitIntegratedAsync(RunningHub hub, long index)
    {
        var head = hub.Service<LogHead>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((head.Current?.Size ?? 0) <= index)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>GETs a document, asserts 200, the EPCIS media type and that it validates against the official schema.</summary>
    internal static async Task<(JsonElement Document, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)> GetValidAsync(HttpClient http, string uri)
    {
        using var response = await http.GetAsync(uri);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{uri}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await EpcisSchema.ValidateAsync(text));
        return (JsonDocument.Parse(text).RootElement.Clone(), response.Headers, response.Content.Headers);
    }

    internal static JsonElement[] EventList(JsonElement document) =>
        [.. (document.GetProperty("type").GetString() == "EPCISQueryDocument"
            ? document.GetProperty("epcisBody").GetProperty("queryResults").GetProperty("resultsBody").GetProperty("eventList")
            : document.GetProperty("epcisBody").GetProperty("eventList")).EnumerateArray()];

    internal static long[] Indexes(JsonElement document) => [.. EventList(document).Select(e => e.GetProperty("ct:logIndex").GetInt64())];

    private Envelope Report(decimal low, decimal high) =>
        _sensor!.Next((time, stamp) => CustodyEvents.ReportTemperatures(
            time, stamp, _sensor.SiteUri, Fridge, [new TemperatureSample(time, low), new TemperatureSample(time.AddMinutes(0.5), high)]));

    private async Task SendAsync(string name, ChainDevice device, Envelope envelope) =>
        Events[name] = ((await device.SendGreenAsync(envelope)).Index!.Value, envelope);
}
