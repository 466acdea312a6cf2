using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SupplyChain.Contracts.Events;

namespace SupplyChain.Hub.Epcis;

/// <summary>
/// The <c>SimpleEventQuery</c> parameters this hub serves (GS1 EPCIS 2.0 §8.2.7.1, REST binding §12), parsed from a
/// query string. All given parameters must hold (AND); the values of one parameter are alternatives (OR), given as
/// <c>a|b</c> or by repeating the parameter. A parameter the standard names that we cannot serve, or one it does not
/// name, is a <c>QueryParameterException</c>: a 400 naming the parameter, never silently ignored.
/// </summary>
internal sealed partial class EpcisQuery
{
    public const int DefaultPerPage = 30;
    public const int MaxPerPage = 1000;
    public const string PerPageName = "perPage";
    public const string NextPageTokenName = "nextPageToken";

    private static readonly string[] EventTypes = ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"];
    private static readonly string[] Actions = ["ADD", "OBSERVE", "DELETE"];

    private readonly List<Func<ObjectEvent, bool>> _filters = [];
    private readonly List<SensorCondition> _sensor = [];
    private readonly SortedDictionary<string, string> _canonical = new(StringComparer.Ordinal);
    private HashSet<string>? _sensorTypes;

    private EpcisQuery()
    {
    }

    /// <summary>Events per page (<c>perPage</c>, 1–1,000, default 30).</summary>
    public int PerPage { get; private set; } = DefaultPerPage;

    /// <summary>The <c>nextPageToken</c> given, if any.</summary>
    public string? PageToken { get; private set; }

    /// <summary>A digest of the filters (not the paging), which a page token is bound to.</summary>
    public byte[] Fingerprint => SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', _canonical.Select(p => p.Key + "=" + p.Value))))[..8];

    /// <summary>Every parameter this hub serves, with what it does: for the OpenAPI document.</summary>
    public static IReadOnlyList<(string Name, string Description)> Described { get; } =
    [
        ("eventType", "ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent (a|b for either); all logged events are ObjectEvents"),
        ("GE_eventTime", "eventTime at or after this ISO 8601 time with an offset (Z, or %2B01:00)"),
        ("LT_eventTime", "eventTime before this time"),
        ("EQ_action", "ADD, OBSERVE or DELETE"),
        ("EQ_bizStep", "CBV business step, bare (shipping), URN or https://ref.gs1.org/cbv/BizStep-… form"),
        ("EQ_disposition", "CBV disposition, bare (in_transit), URN or https://ref.gs1.org/cbv/Disp-… form"),
        ("EQ_readPoint", "readPoint id URI, e.g. https://id.gs1.org/414/9506000134383"),
        ("EQ_bizLocation", "bizLocation id URI"),
        ("MATCH_epc", "an epc of the event: a Digital Link URI (any host), urn:epc:id:sgtin/sscc, or a pattern urn:epc:idpat:sgtin:CP.IR.*, CP.*.*, urn:epc:idpat:sscc:CP.*"),
        ("MATCH_anyEPC", "as MATCH_epc (an ObjectEvent has no parentID)"),
        ("EQ_type", "sensorReport type, e.g. Temperature or gs1:Temperature"),
        ("GT_maxValue_CEL", "a sensorReport with maxValue above this (°C); any {GT|GE|LT|LE|EQ}_{value|minValue|maxValue|meanValue}_{uom} works alike"),
        ("LT_minValue_CEL", "a sensorReport with minValue below this (°C)"),
        (PerPageName, $"events per page, 1–{MaxPerPage}, default {DefaultPerPage}"),
        (NextPageTokenName, "the token of the previous page's Link rel=\"next\" (send the same filters)"),
    ];

    public static bool TryParse(IQueryCollection query, bool paged, out EpcisQuery result, out QueryProblem problem)
    {
        result = new EpcisQuery();
        problem = default;
        foreach (var (name, raw) in query)
        {
            var values = raw.SelectMany(v => (v ?? string.Empty).Split('|')).ToList();
            if (values.Any(string.IsNullOrEmpty))
            {
                problem = new QueryProblem(name, "has an empty value");
                return false;
            }

            var error = result.Add(name, values, paged);
            if (error is not null)
            {
                problem = new QueryProblem(name, error);
                return false;
            }
        }

        if (result._sensorTypes is not null && result._sensor.Count == 0)
        {
            // EQ_type alone: events with a sensor report of that type.
            result._sensor.Add(new SensorCondition("value", SensorOperator.Any, 0, null));
        }

        if (result._sensor.Count > 0)
        {
            result._filters.Add(result.AnyReportMatches);
        }

        return true;
    }

    public bool Matches(ObjectEvent e) => _filters.TrueForAll(f => f(e));

    // Returns why the parameter is refused, or null when it was taken.
    private string? Add(string name, List<string> values, bool paged)
    {
        switch (name)
        {
            case PerPageName or NextPageTokenName when !paged:
                return "the export is not paged: it streams every matching event";
            case PerPageName:
                if (values.Count != 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var perPage) || perPage is < 1 or > MaxPerPage)
                {
                    return $"must be a whole number from 1 to {MaxPerPage}";
                }

                PerPage = perPage;
                return null;
            case NextPageTokenName:
                if (values.Count != 1)
                {
                    return "give one token";
                }

                PageToken = values[0];
                return null;
            case "eventType":
                if (values.FirstOrDefault(v => !EventTypes.Contains(v, StringComparer.Ordinal)) is { } badType)
                {
                    return $"'{badType}' is not an EPCIS 2.0 event type ({string.Join(", ", EventTypes)})";
                }

                // Every event this hub logs is an ObjectEvent (PROTOCOL.md §2).
                return Filter(name, values, e => values.Contains(e.Type ?? string.Empty, StringComparer.Ordinal));
            case "GE_eventTime" or "LT_eventTime":
                if (values.Count != 1 || !TryTime(values[0], out var bound))
                {
                    return "must be one ISO 8601 time with an offset, e.g. 2026-03-01T08:00:00Z (write + as %2B)";
                }

                var atLeast = name == "GE_eventTime";
                return Filter(name, [bound.UtcTicks.ToString(CultureInfo.InvariantCulture)], e =>
                    TryTime(e.EventTime, out var time) && (atLeast ? time >= bound : time < bound));
            case "EQ_action":
                if (values.FirstOrDefault(v => !Actions.Contains(v, StringComparer.Ordinal)) is { } badAction)
                {
                    return $"'{badAction}' is not ADD, OBSERVE or DELETE";
                }

                return Filter(name, values, e => values.Contains(e.Action ?? string.Empty, StringComparer.Ordinal));
            case "EQ_bizStep":
                var steps = values.Select(v => Vocabulary.Short(v, Vocabulary.BizStep)).ToHashSet(StringComparer.Ordinal);
                return Filter(name, steps, e => e.BizStep is { } step && steps.Contains(Vocabulary.Short(step, Vocabulary.BizStep)));
            case "EQ_disposition":
                var dispositions = values.Select(v => Vocabulary.Short(v, Vocabulary.Disposition)).ToHashSet(StringComparer.Ordinal);
                return Filter(name, dispositions, e => e.Disposition is { } d && dispositions.Contains(Vocabulary.Short(d, Vocabulary.Disposition)));
            case "EQ_readPoint" or "EQ_bizLocation":
                if (values.FirstOrDefault(v => !Uri.TryCreate(v, UriKind.Absolute, out _)) is { } badPlace)
                {
                    return $"'{badPlace}' is not an absolute URI (e.g. https://id.gs1.org/414/9506000134383)";
                }

                var readPoint = name == "EQ_readPoint";
                return Filter(name, values, e => (readPoint ? e.ReadPoint : e.BizLocation)?.Id is { } id && values.Contains(id, StringComparer.Ordinal));
            case "MATCH_epc" or "MATCH_anyEPC":
                var patterns = new List<EpcPattern>();
                foreach (var value in values)
                {
                    if (!EpcPattern.TryParse(value, out var pattern, out var why))
                    {
                        return $"'{value}': {why}";
                    }

                    patterns.Add(pattern);
                }

                // An ObjectEvent has no parentID, inputs or outputs, so MATCH_anyEPC is MATCH_epc here.
                return Filter(name, values, e => e.EpcList?.Any(epc => patterns.Exists(p => p.Matches(epc))) == true);
            case "EQ_type":
                _sensorTypes = [.. values.Select(ShortMeasurementType)];
                _canonical[name] = string.Join('|', _sensorTypes.Order(StringComparer.Ordinal));
                return null;
        }

        if (SensorParameter().Match(name) is { Success: true } sensor)
        {
            if (values.Count != 1 || !decimal.TryParse(values[0], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var limit))
            {
                return "must be one decimal number, e.g. 8 or -2.5";
            }

            var op = Enum.Parse<SensorOperator>(sensor.Groups["op"].Value, ignoreCase: true);
            _sensor.Add(new SensorCondition(sensor.Groups["field"].Value, op, limit, sensor.Groups["uom"].Value));
            _canonical[name] = limit.ToString(CultureInfo.InvariantCulture);
            return null;
        }

        return StandardParameter().IsMatch(name)
            ? "this EPCIS query parameter is not supported by this repository; see docs/API.md \"EPCIS 2.0\" for those that are"
            : "not an EPCIS query parameter";
    }

    private string? Filter(string name, IEnumerable<string> canonicalValues, Func<ObjectEvent, bool> filter)
    {
        _canonical[name] = string.Join('|', canonicalValues.Order(StringComparer.Ordinal));
        _filters.Add(filter);
        return null;
    }

    // EPCIS 2.0 §8.2.7.1: the sensor conditions hold of one and the same sensorReport (with EQ_type if given).
    private bool AnyReportMatches(ObjectEvent e) =>
        e.SensorElementList?.Any(element => element.SensorReport?.Any(report =>
            (_sensorTypes is null || _sensorTypes.Contains(ShortMeasurementType(report.Type ?? string.Empty)))
            && _sensor.TrueForAll(condition => condition.Holds(report))) == true) == true;

    private static string ShortMeasurementType(string type) => type.StartsWith("gs1:", StringComparison.Ordinal) ? type[4..]
        : type.StartsWith("https://gs1.org/voc/", StringComparison.Ordinal) ? type["https://gs1.org/voc/".Length..]
        : type;

    private static bool TryTime(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null
            && (text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':'))
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out time);
    }

    [GeneratedRegex("^(?<op>GT|GE|LT|LE|EQ)_(?<field>value|minValue|maxValue|meanValue)_(?<uom>[A-Z0-9]{2,3})$", RegexOptions.CultureInvariant)]
    private static partial Regex SensorParameter();

    // The name shapes EPCIS 2.0 §8.2.7.1 defines (EQ_…, GE_…, MATCH_…, WD_…, EXISTS_…, HASATTR_…, EQATTR_…) and the plain ones.
    [GeneratedRegex("^((EQ|NE|GE|GT|LE|LT|MATCH|WD|EXISTS|HASATTR|EQATTR)_.+|orderBy|orderDirection|eventCountLimit|maxEventCount)$", RegexOptions.CultureInvariant)]
    private static partial Regex StandardParameter();
}

/// <summary>Why a query was refused: the parameter and what is wrong with it.</summary>
internal readonly record struct QueryProblem(string Parameter, string Detail);

internal enum SensorOperator
{
    Any,
    GT,
    GE,
    LT,
    LE,
    EQ,
}

/// <summary>One sensor condition, e.g. <c>GT_maxValue_CEL=8</c>: the report has that field, in that unit, beyond the limit.</summary>
internal sealed record SensorCondition(string Field, SensorOperator Operator, decimal Limit, string? Uom)
{
    public bool Holds(SensorReport report)
    {
        if (Operator == SensorOperator.Any)
        {
            return true;
        }

        var value = Field switch
        {
            "value" => report.Value,
            "minValue" => report.MinValue,
            "maxValue" => report.MaxValue,
            _ => report.MeanValue,
        };
        return value is { } v && string.Equals(report.Uom, Uom, StringComparison.Ordinal) && Operator switch
        {
            SensorOperator.GT => v > Limit,
            SensorOperator.GE => v >= Limit,
            SensorOperator.LT => v < Limit,
            SensorOperator.LE => v <= Limit,
            _ => v == Limit,
        };
    }
}

/// <summary>CBV 2.0 §7.1–7.2 names in their three spellings: bare (<c>shipping</c>), URN and Web URI; compared bare.</summary>
internal static class Vocabulary
{
    public static readonly string[] BizStep = ["urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-", "cbv:BizStep-", "gs1:BizStep-"];
    public static readonly string[] Disposition = ["urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-", "cbv:Disp-", "gs1:Disp-"];

    public static string Short(string value, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return value[prefix.Length..];
            }
        }

        return value;
    }
}
