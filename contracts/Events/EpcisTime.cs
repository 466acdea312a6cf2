using System.Globalization;

namespace SupplyChain.Contracts.Events;

/// <summary>The one time form ColdTrace writes: UTC with milliseconds, <c>2026-01-02T03:04:05.678Z</c> (PROTOCOL.md §2.1).</summary>
internal static class EpcisTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    public const string UtcOffset = "+00:00";

    public static DateTimeOffset Truncate(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    public static string Write(DateTimeOffset time) => Truncate(time).ToString(Format, CultureInfo.InvariantCulture);

    public static bool TryRead(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
