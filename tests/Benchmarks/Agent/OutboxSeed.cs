using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Events;

namespace SupplyChain.Benchmarks.Agent;

/// <summary>
/// Fills an agent data directory with a device key and <c>count</c> buffered custody events through the agent's own
/// <see cref="EventOutbox.Append"/> (the call a commissioning scan makes): the real document layout, indexes and
/// page use. Run as <c>coldtrace-bench agent-seed DIR DEVICE COUNT</c> in a child process, under <c>eatmydata</c> when
/// installed, so the seeding's per-event fsyncs (which are not what is measured) do not take hours; the file written
/// is the same, only its flushes are skipped.
/// </summary>
internal static class OutboxSeed
{
    public const string Site = "9506000134383";
    public const string SiteUri = "https://id.gs1.org/414/" + Site;

    /// <summary>The commissioning event a scan of pack <paramref name="number"/> makes, as the station builds it.</summary>
    public static CustodyEvent Commission(DeviceStamp stamp, long number, DateTimeOffset now) =>
        CustodyEvents.Commission(now, stamp, SiteUri, [$"https://id.gs1.org/01/09506000134352/21/S{number:D9}"], "LOT42", new DateOnly(2030, 12, 31));

    /// <summary>The scan line for pack <paramref name="number"/> (GS1 element string with FNC1 as GS).</summary>
    public static string Scan(long number) => $"010950600013435221S{number:D9}\u001d10LOT42\u001d17301231";

    public static int Run(string directory, string deviceId, long count)
    {
        using var identity = DeviceIdentity.LoadOrCreate(directory, deviceId);
        var options = new OutboxOptions { MaxCustodyEvents = (int)Math.Min(10_000_000, count + 1) };
        using var outbox = EventOutbox.Open(directory, identity, "seed-boot", () => true, options, TimeProvider.System, NullLogger<EventOutbox>.Instance);
        var clock = Stopwatch.StartNew();
        var start = outbox.ReadStatus().NextSeq;
        for (var i = start; i < count; i++)
        {
            var result = outbox.Append(stamp => Commission(stamp, i, TimeProvider.System.GetUtcNow()));
            if (!result.IsAppended)
            {
                Console.Error.WriteLine($"append {i} refused: {result.Reason}");
                return 1;
            }

            // Appends go to the custody journal; the agent's delivery loop and mover copy it into the store in batches.
            if ((i + 1) % 256 == 0)
            {
                outbox.MoveJournal();
            }

            if ((i + 1) % 50_000 == 0)
            {
                Console.Error.WriteLine($"seeded {i + 1:N0} in {clock.Elapsed.TotalSeconds:F0} s");
            }
        }

        Console.WriteLine($"{count - start} {clock.Elapsed.TotalSeconds}");
        return 0;
    }
}
