namespace SupplyChain.Hub.Demo;

/// <summary>
/// The log of one in-process station on the demo's console: warnings and errors only, one line each, prefixed by the
/// device id so ten stations stay readable beside the story. An exception shows its type and message; the demo is for
/// watching, and a station's own log (its outbox, its status) holds the rest. Once the demo stops its stations it
/// silences them: "scanner source ended" from ten stations is not news to someone who pressed Ctrl+C.
/// </summary>
internal sealed class DemoStationLogger(string deviceId, TextWriter output) : ILoggerProvider
{
    private readonly string _deviceId = deviceId;
    private readonly TextWriter _output = output;
    private volatile bool _silenced;

    public void Silence() => _silenced = true;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(DemoStationLogger provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Warning and not LogLevel.None && !provider._silenced;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = logLevel == LogLevel.Warning ? "warn" : "fail";
            var line = $"  [{provider._deviceId}] {level}: {formatter(state, exception)}";
            provider._output.WriteLine(exception is null ? line : $"{line} ({exception.GetType().Name}: {exception.Message})");
        }
    }
}
