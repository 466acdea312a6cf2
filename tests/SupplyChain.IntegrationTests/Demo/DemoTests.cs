using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Audit;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Demo;
using SupplyChain.Hub.Log;
using SupplyChain.IntegrationTests.Scenario;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Demo;

/// <summary>
/// The README's first command, <c>coldtrace-hub demo</c>, run as a new user runs it: the packs it prints answer on
/// <c>POST /v1/verify</c> as it says they will, with the printed pharmacist token; every station's events reach the log;
/// it stops cleanly (as on Ctrl+C); and the log it leaves audits clean.
/// </summary>
public sealed class DemoTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Demo_FirstCycle_PrintsExamplesThatVerifyAsPrinted()
    {
        var watch = Stopwatch.StartNew();
        await using var demo = DemoProcess.Start(pace: 0.3);
        var examples = await demo.ExamplesAsync();
        output.WriteLine($"examples printed after {watch.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(["1. Safe to dispense", "2. Recalled", "3. Counterfeit"], examples.Select(e => e.Title));
        using var http = new HttpClient { BaseAddress = demo.Web, Timeout = TimeSpan.FromSeconds(30) };
        var pharmacist = demo.TokenOf("pharmacist");
        foreach (var example in examples)
        {
            Assert.StartsWith("(01)09506000134352(21)", example.Bracketed, StringComparison.Ordinal);
            Assert.StartsWith("https://id.gs1.org/01/09506000134352/10/", example.DigitalLink, StringComparison.Ordinal);
            foreach (var scan in new[] { example.Bracketed, example.DigitalLink })
            {
                var answer = await VerifyAsync(http, pharmacist, scan, example.Site);
                switch (example.Title)
                {
                    case "1. Safe to dispense":
                        Expect(answer, verified: true, "active", []);
                        Assert.StartsWith("verified true, status active", example.Expect, StringComparison.Ordinal);
                        break;
                    case "2. Recalled":
                        Expect(answer, verified: false, "recalled", ["recalled"]);
                        Assert.StartsWith("verified false, status recalled", example.Expect, StringComparison.Ordinal);
                        break;
                    default:
                        Expect(answer, verified: false, "unknown", ["unknown_serial"]);
                        Assert.Null(answer.Custody);
                        Assert.StartsWith("verified false, status unknown", example.Expect, StringComparison.Ordinal);
                        break;
                }
            }
        }

        // The admin token lists the ten stations the demo enrolled.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/devices");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", demo.TokenOf("admin"));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = await response.Content.ReadFromJsonAsync<DeviceList>(Json);
        Assert.Equal(DemoSites.Stations.Select(s => s.DeviceId).Order(), listed!.Devices.Where(d => d.Status == "active").Select(d => d.Id).Order());

        // Sensors report every 10 to 30 s: wait until the story has told a reading from every one (the hub holds them,
        // so they are in the log, which is read after the stop below).
        string[] readings =
        [
            "mfr-line-1 commissioned [^\n]*; warehouse at ", "trailer at ", "into the cold room, at ",
            "ph1-till dispensed [^\n]*; fridge at ", "ph2-till dispensed [^\n]*; fridge at ",
        ];
        await ScenarioWait.Eventually(
            "a reading from every sensor",
            () => Task.FromResult(readings.All(r => System.Text.RegularExpressions.Regex.IsMatch(demo.Output, r))),
            () => demo.Output);

        await demo.StopAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"stopped after {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(demo.ExitCode == 0, $"exit code {demo.ExitCode}:\n{demo.Output}");
        Assert.DoesNotContain("Exception", demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", demo.Output, StringComparison.Ordinal);

        var hubDirectory = Path.Combine(demo.Directory, "hub");
        using var store = new LiteDbLogStore(Path.Combine(hubDirectory, "log.db"));
        var entries = store.ReadEntries(0, checked((int)store.ReadState().SequencedSize));
        var byDevice = entries.Select(LogFacts.Read).OfType<DeviceEventFact>().GroupBy(f => f.Event.Device.DeviceId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(DemoSites.Stations, s => Assert.True(byDevice.GetValueOrDefault(s.DeviceId) > 0, $"no event from {s.DeviceId}: {string.Join(", ", byDevice)}"));

        var origin = new LogOptions().Origin;
        var report = new LogAudit(store, HubSigningKey.LoadOrCreate(hubDirectory, origin).Verifier, origin).Run();
        Assert.True(report.IsClean, $"audit: {report}");
        output.WriteLine($"{entries.Count} entries audited clean after {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<VerificationJson> VerifyAsync(HttpClient http, string token, string scan, string site)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verify") { Content = JsonContent.Create(new { scan, site }, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"POST /v1/verify {scan}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<VerificationJson>(Json) ?? throw new InvalidOperationException("empty answer");
    }

    private static void Expect(VerificationJson answer, bool verified, string status, IReadOnlyList<string> reasons) =>
        Assert.True(
            verified == answer.Verified && status == answer.Status && reasons.SequenceEqual(answer.Reasons),
            $"{answer.Pack}: expected verified={verified}, {status}, [{string.Join(", ", reasons)}]; got verified={answer.Verified}, {answer.Status}, [{string.Join(", ", answer.Reasons)}]");

    private sealed record DeviceList(IReadOnlyList<DeviceEntry> Devices);

    private sealed record DeviceEntry(string Id, string Status);
}
