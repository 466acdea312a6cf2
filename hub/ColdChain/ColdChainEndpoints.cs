using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.ColdChain;

/// <summary>
/// <c>/v1/coldchain</c> (docs/API.md "Cold chain") for signed-in users, and the registration of the cold-chain read
/// models. Bad input is a 400 ProblemDetails: a time that does not parse, from not before to, a window over
/// <see cref="ColdChainView.MaxWindow"/>, a place that does not parse or never reported a reading.
/// </summary>
internal static class ColdChainEndpoints
{
    public static WebApplicationBuilder AddColdChain(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ColdChainBoard>();
        builder.Services.AddSingleton<ICustodyObserver>(services => services.GetRequiredService<ColdChainBoard>());
        builder.Services.AddSingleton<ColdChainView>();
        return builder;
    }

    public static IEndpointRouteBuilder MapColdChainApi(this IEndpointRouteBuilder app)
    {
        var coldChain = app.MapGroup("/v1/coldchain").WithTags("Cold chain").RequireAuthorization(UserPolicies.SignedIn);
        coldChain.MapGet("/locations", Locations);
        coldChain.MapGet("/excursions", Excursions);
        coldChain.MapGet("/series", Series);
        return app;
    }

    internal sealed record ReadingJson(string Time, decimal Celsius);

    internal sealed record RangeJson(decimal Lower, decimal Upper);

    internal sealed record AlarmJson(string Time, decimal Celsius, decimal Lower, decimal Upper, long Index);

    internal sealed record SensorJson(string Asset, string Device, ReadingJson Latest, long Readings, AlarmJson? Alarm);

    internal sealed record LocationJson(string Place, string Kind, string State, ReadingJson? Latest, RangeJson? Range, int Packs, IReadOnlyList<SensorJson> Sensors);

    internal sealed record LocationsResponse(string Time, IReadOnlyList<LocationJson> Locations);

    internal sealed record ExcursionJson(
        string Place, string Kind, string Start, string? End, bool Ongoing, double DurationSeconds, decimal PeakCelsius, double? MktCelsius, int Readings, int PacksAffected, RangeJson Range);

    internal sealed record ExcursionsResponse(string From, string To, IReadOnlyList<ExcursionJson> Excursions);

    internal sealed record SeriesResponse(
        string Place, string Kind, string From, string To, RangeJson? Range, int Total, bool Thinned, IReadOnlyList<ReadingJson> Points, IReadOnlyList<ExcursionJson> Excursions);

    internal static LocationJson ToJson(LocationView view) => new(
        PlaceText.Key(view.Place.Place),
        PlaceText.KindName(view.Place.Place),
        LocationStates.Name(view.State),
        view.Place.Latest is { } latest ? ToJson(latest) : null,
        ToJson(view.Range),
        view.Place.Packs,
        [.. view.Place.Sensors.Select(s => new SensorJson(
            s.Asset,
            s.Device,
            ToJson(s.Latest),
            s.Readings,
            s.Alarm is { } a ? new AlarmJson(TimeWindow.Format(a.Time), a.Celsius, a.Lower, a.Upper, a.Index) : null))]);

    internal static ExcursionJson ToJson(ExcursionView view) => new(
        PlaceText.Key(view.Place),
        PlaceText.KindName(view.Place),
        TimeWindow.Format(view.Excursion.Start),
        view.Excursion.End is { } end ? TimeWindow.Format(end) : null,
        view.Excursion.Ongoing,
        view.Excursion.Duration.TotalSeconds,
        view.Excursion.PeakCelsius,
        view.Excursion.MktCelsius is { } mkt ? Math.Round(mkt, 2) : null,
        view.Excursion.Readings,
        view.PacksAffected,
        ToJson(view.Range)!);

    private static ReadingJson ToJson(Contracts.Events.TemperatureSample sample) => new(TimeWindow.Format(sample.Time), sample.Celsius);

    private static RangeJson? ToJson(AllowedRange? range) => range is { } r ? new RangeJson(r.Lower, r.Upper) : null;

    private static Ok<LocationsResponse> Locations(ColdChainView view, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return TypedResults.Ok(new LocationsResponse(TimeWindow.Format(now), [.. view.Locations(now).Select(ToJson)]));
    }

    private static Results<Ok<ExcursionsResponse>, ProblemHttpResult> Excursions(
        ColdChainView view, TimeProvider time, string? from, string? to, string? place, string? limit)
    {
        var now = time.GetUtcNow();
        if (!TimeWindow.TryParse(from, to, now, ColdChainView.MaxWindow, out var window, out var reason))
        {
            return Problem("Bad window", reason);
        }

        var count = 100;
        if (limit is not null && (!int.TryParse(limit, out count) || count is < 1 or > ColdChainView.MaxExcursions))
        {
            return Problem("Bad limit", $"limit must lie between 1 and {ColdChainView.MaxExcursions}.");
        }

        Place? only = null;
        if (place is not null)
        {
            if (!PlaceText.TryParse(place, out var parsed, out reason))
            {
                return Problem("Bad place", reason);
            }

            only = parsed;
        }

        var found = view.Excursions(window.From, window.To, now, count, only);
        return TypedResults.Ok(new ExcursionsResponse(TimeWindow.Format(window.From), TimeWindow.Format(window.To), [.. found.Select(ToJson)]));
    }

    private static Results<Ok<SeriesResponse>, ProblemHttpResult> Series(ColdChainView view, TimeProvider time, string? place, string? from, string? to)
    {
        var now = time.GetUtcNow();
        if (!PlaceText.TryParse(place, out var where, out var reason))
        {
            return Problem("Bad place", reason);
        }

        if (!TimeWindow.TryParse(from, to, now, ColdChainView.MaxWindow, out var window, out reason))
        {
            return Problem("Bad window", reason);
        }

        if (view.Series(where, window.From, window.To) is not { } series)
        {
            return Problem("Unknown place", $"{where} has never reported a reading.");
        }

        var excursions = view.Excursions(window.From, window.To, now, ColdChainView.MaxExcursions, where);
        return TypedResults.Ok(new SeriesResponse(
            PlaceText.Key(where),
            PlaceText.KindName(where),
            TimeWindow.Format(window.From),
            TimeWindow.Format(window.To),
            ToJson(view.RangeOf(where)),
            series.Total,
            series.Thinned,
            [.. series.Points.Select(ToJson)],
            [.. excursions.Select(ToJson)]));
    }

    private static ProblemHttpResult Problem(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
