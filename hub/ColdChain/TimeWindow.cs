using System.Globalization;

namespace SupplyChain.Hub.ColdChain;

/// <summary>
/// A [from, to) window as a query or a form gives it: ISO 8601 times (an offset, or none for UTC — what an HTML
/// <c>datetime-local</c> input sends); both optional, defaulting to the 24 hours before now.
/// </summary>
internal readonly record struct TimeWindow(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan Default = TimeSpan.FromDays(1);

    public static bool TryParse(string? from, string? to, DateTimeOffset now, TimeSpan longest, out TimeWindow window, out string reason)
    {
        window = default;
        var end = now;
        if (!string.IsNullOrWhiteSpace(to) && !TryTime(to, out end))
        {
            reason = "to must be an ISO 8601 time, e.g. 2026-03-01T08:00:00Z";
            return false;
        }

        var start = end - Default;
        if (!string.IsNullOrWhiteSpace(from) && !TryTime(from, out start))
        {
            reason = "from must be an ISO 8601 time, e.g. 2026-03-01T08:00:00Z";
            return false;
        }

        if (start >= end)
        {
            reason = "from must be before to";
            return false;
        }

        if (end - start > longest)
        {
            reason = $"the window may span at most {longest.TotalDays:0.#} days";
            return false;
        }

        window = new TimeWindow(start, end);
        reason = string.Empty;
        return true;
    }

    /// <summary>Formats a time as the API writes it: UTC with milliseconds (PROTOCOL.md §2.1).</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
