using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Benchmarks.Micro;

/// <summary>Realistic inputs shared by the hot-path benchmarks: a GS1 test company's identifiers and real event factories.</summary>
internal static class Fixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    public static readonly Gln Maker = GlnOf("9506000134369");
    public static readonly Gln Wholesaler = GlnOf("9506000134376");
    public static readonly Gtin Vaccine = GtinOf("09506000134352");
    public static readonly DateOnly Expires = new(2027, 6, 30);

    public static string Uri(Gln gln) => $"https://id.gs1.org/414/{gln.Value}";

    public static string DeviceOf(Gln site) => $"scanner-{site.Value}";

    public static PackKey Pack(int number) =>
        new(Vaccine, Serial.TryParse($"SN{number:D10}", out var serial, out var reason) ? serial : throw new ArgumentException(reason));

    public static string[] PackUris(int first, int count) => [.. Enumerable.Range(first, count).Select(i => Pack(i).ToDigitalLink())];

    public static DeviceEnrolled Enrolment(Gln site, SiteRole role) =>
        new(DeviceOf(site), site, role, "it-admin@example.com", T0.AddDays(-1));

    /// <summary>A device's chain of events: next seq and prev id, ids computed from the encoded payload as the hub does.</summary>
    public sealed class DeviceChain(Gln site)
    {
        private long seq;
        private EventId prev = EventId.None;

        public DeviceEventFact Next(Func<DeviceStamp, CustodyEvent> build)
        {
            var custodyEvent = build(new DeviceStamp(DeviceOf(site), seq, prev, "boot-1", ClockSynced: true));
            var id = EventId.Compute(EventCodec.Encode(custodyEvent));
            seq++;
            prev = id;
            return new DeviceEventFact(id, custodyEvent);
        }
    }

    private static Gln GlnOf(string digits) => Gln.TryParse(digits, out var gln, out var reason) ? gln : throw new ArgumentException(reason);

    private static Gtin GtinOf(string digits) => Gtin.TryParse(digits, out var gtin, out var reason) ? gtin : throw new ArgumentException(reason);
}
