namespace SupplyChain.Agent.Sensors.Sampling;

/// <summary>
/// Collects read results into report windows aligned to multiples of the window length since the Unix epoch (so every
/// agent's 5-minute windows line up at :00, :05, …). Pure: the caller passes "now". When "now" leaves the open window in
/// either direction — time passed, or the clock jumped at NTP sync — the window is closed and the one containing "now" opens.
/// </summary>
internal sealed class ReportWindowAggregator
{
    private readonly TimeSpan _length;
    private readonly Dictionary<string, Accumulator> _sensors = new(StringComparer.Ordinal);
    private DateTimeOffset _start;
    private bool _open;

    public ReportWindowAggregator(TimeSpan length, IEnumerable<string> sensorIds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(length, TimeSpan.Zero);
        _length = length;
        foreach (var id in sensorIds)
        {
            _sensors.Add(id, new Accumulator());
        }
    }

    public DateTimeOffset WindowStart => _start;

    public DateTimeOffset WindowEnd => _start + _length;

    /// <summary>Closes the open window if <paramref name="now"/> is outside it and returns its reports (one per sensor).</summary>
    public IReadOnlyList<SensorWindowReport> Roll(DateTimeOffset now)
    {
        if (_open && now >= _start && now < WindowEnd)
        {
            return [];
        }

        // A window closed because the clock went backwards did not run its course.
        var reports = _open ? Close(isPartial: now < _start) : [];
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        _start = new DateTimeOffset(now.UtcTicks - (((ticks % _length.Ticks) + _length.Ticks) % _length.Ticks), TimeSpan.Zero);
        _open = true;
        return reports;
    }

    /// <summary>Adds one read result to the open window.</summary>
    public void Add(SensorReadResult result)
    {
        if (!_open)
        {
            throw new InvalidOperationException("Roll must open a window before results are added.");
        }

        var accumulator = _sensors[result.SensorId];
        if (result.TryGetReading(out var reading, out var fault))
        {
            accumulator.Samples.Add(reading);
        }
        else
        {
            accumulator.Faults[fault.Reason] = accumulator.Faults.GetValueOrDefault(fault.Reason) + 1;
        }
    }

    /// <summary>Closes the open window early (shutdown) and returns its reports marked partial.</summary>
    public IReadOnlyList<SensorWindowReport> Flush()
    {
        if (!_open)
        {
            return [];
        }

        var reports = Close(isPartial: true);
        _open = false;
        return reports;
    }

    private List<SensorWindowReport> Close(bool isPartial)
    {
        var reports = new List<SensorWindowReport>(_sensors.Count);
        foreach (var (id, accumulator) in _sensors)
        {
            var samples = accumulator.Samples.ToArray();
            var faults = new Dictionary<SensorFaultReason, int>(accumulator.Faults);
            reports.Add(new SensorWindowReport(
                id,
                _start,
                WindowEnd,
                samples,
                samples.Length == 0 ? null : samples.Min(s => s.Celsius),
                samples.Length == 0 ? null : samples.Max(s => s.Celsius),
                samples.Length == 0 ? null : samples.Average(s => s.Celsius),
                faults.Values.Sum(),
                faults,
                isPartial));
            accumulator.Samples.Clear();
            accumulator.Faults.Clear();
        }

        return reports;
    }

    private sealed class Accumulator
    {
        public List<TemperatureReading> Samples { get; } = [];

        public Dictionary<SensorFaultReason, int> Faults { get; } = [];
    }
}
