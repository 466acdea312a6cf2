using System.Globalization;

namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// An expiration date (AI 17, GS1 General Specifications), encoded YYMMDD.
/// DD = 00 means the last day of the month; the century comes from the sliding window of §7.12.
/// </summary>
public readonly record struct Expiry
{
    private readonly string? text;

    private Expiry(string text, DateOnly date)
    {
        this.text = text;
        Date = date;
    }

    /// <summary>The six digits as encoded, e.g. <c>200600</c>.</summary>
    public string Text => text ?? "000101";

    /// <summary>The day the pack expires: the last day of the month when the day was encoded as 00.</summary>
    public DateOnly Date { get; }

    /// <summary>Whether the label left the day unspecified (DD = 00).</summary>
    public bool DayUnspecified => Text.EndsWith("00", StringComparison.Ordinal);

    /// <summary>Parses YYMMDD relative to <paramref name="now"/>.</summary>
    /// <param name="yymmdd">Six digits.</param>
    /// <param name="now">Today, which fixes the century (§7.12: −49 to +50 years from now).</param>
    /// <param name="expiry">The expiry on success; <see langword="default"/> otherwise.</param>
    /// <param name="reason">Why it was rejected; empty on success.</param>
    /// <returns>Whether <paramref name="yymmdd"/> is a real date.</returns>
    public static bool TryParse(ReadOnlySpan<char> yymmdd, DateTimeOffset now, out Expiry expiry, out string reason)
    {
        var error = TryResolve(yymmdd, now, "Expiry (17)", "17", out var date);
        expiry = error is null ? new Expiry(yymmdd.ToString(), date) : default;
        reason = error?.Message ?? string.Empty;
        return error is null;
    }

    /// <summary>An expiry on an exact day, encoded YYMMDD. Only years within the §7.12 window of the reader's clock read back the same.</summary>
    /// <param name="date">The day.</param>
    /// <returns>The expiry.</returns>
    public static Expiry FromDate(DateOnly date) =>
        new(date.ToString("yyMMdd", CultureInfo.InvariantCulture), date);

    /// <inheritdoc/>
    public override string ToString() => $"{Text} ({Date:yyyy-MM-dd})";

    internal static Expiry FromChecked(string text, DateOnly date) => new(text, date);

    /// <summary>
    /// Resolves a YYMMDD date (syntax-dictionary linter <c>yymmd0</c>): six digits, month 1–12, day 00 or a day that
    /// exists in that month of the resolved year (so 29 February only in leap years).
    /// </summary>
    internal static Gs1Error? TryResolve(ReadOnlySpan<char> yymmdd, DateTimeOffset now, string what, string? ai, out DateOnly date)
    {
        date = default;
        if (FieldRules.Digits(yymmdd, 6, what, ai) is { } error)
        {
            return error;
        }

        var yy = ((yymmdd[0] - '0') * 10) + (yymmdd[1] - '0');
        var month = ((yymmdd[2] - '0') * 10) + (yymmdd[3] - '0');
        var day = ((yymmdd[4] - '0') * 10) + (yymmdd[5] - '0');
        var year = CenturyWindow(yy, now.Year);
        if (year is < 1 or > 9999)
        {
            return new Gs1Error(Gs1ErrorCode.InvalidDate, $"{what} {yymmdd} falls outside years 0001–9999.", ai);
        }

        if (month is < 1 or > 12)
        {
            return new Gs1Error(Gs1ErrorCode.InvalidDate, $"{what} {yymmdd} has month {month:00}; months run 01–12.", ai);
        }

        var daysInMonth = DateTime.DaysInMonth(year, month);
        if (day > daysInMonth)
        {
            return new Gs1Error(
                Gs1ErrorCode.InvalidDate,
                $"{what} {yymmdd} has day {day:00}, but {year:0000}-{month:00} has {daysInMonth} days.",
                ai);
        }

        date = new DateOnly(year, month, day == 0 ? daysInMonth : day);
        return null;
    }

    /// <summary>
    /// GenSpecs §7.12: with difference = YY − (current year mod 100), a difference of 51 or more is last century,
    /// −50 or less is next century, anything else this century.
    /// </summary>
    internal static int CenturyWindow(int yy, int currentYear)
    {
        var century = currentYear - (currentYear % 100);
        var difference = yy - (currentYear % 100);
        return difference >= 51 ? century - 100 + yy
            : difference <= -50 ? century + 100 + yy
            : century + yy;
    }
}
