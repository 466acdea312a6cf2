using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SupplyChain.Agent.Status;

/// <summary>
/// The loopback status endpoint on <c>127.0.0.1:{Status:Port}</c>: <c>GET /healthz</c> (200, or 503 with the reason),
/// <c>GET /metrics</c> (Prometheus text) and <c>GET /status</c> (the <see cref="AgentStatus"/> JSON that
/// <c>coldtrace-agent status</c> prints).
/// <para>
/// <see cref="HttpListener"/> rather than Kestrel: it ships in the base runtime, so the Pi needs no ASP.NET Core shared
/// framework (tens of MB) for three read-only GET routes that only local tools call; bound to 127.0.0.1, never to a
/// wildcard, so nothing off the box can reach it. Requests are answered one at a time: the callers are a scraper and an
/// operator, and each answer is a few reads of memory and one of the open outbox.
/// </para>
/// </summary>
internal sealed partial class StatusServer(
    AgentStatusSource source,
    IOptions<StatusOptions> options,
    ILogger<StatusServer> logger) : BackgroundService
{
    public static string Prefix(int port) => $"http://127.0.0.1:{port}/";

    private HttpListener? _listener;

    // Listening starts here, not in ExecuteAsync (which .NET 10 runs on the thread pool): once the host has started,
    // the port answers.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsEnabled)
        {
            LogDisabled(logger);
            return Task.CompletedTask;
        }

        var prefix = Prefix(options.Value.Port);
        var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            // A taken port must not stop scans and delivery: the station works without its status page.
            ((IDisposable)listener).Dispose();
            LogListenFailed(logger, options.Value.Port, e.Message);
            return Task.CompletedTask;
        }

        _listener = listener;
        LogListening(logger, prefix);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        ((IDisposable?)_listener)?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                if (!stoppingToken.IsCancellationRequested)
                {
                    // The listener broke under us: give up the endpoint, not the station.
                    LogListenFailed(logger, options.Value.Port, e.Message);
                }

                break;
            }

            // One bad request or a client that hung up must not end the endpoint.
            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or InvalidOperationException)
            {
                LogAnswerFailed(logger, context.Request.Url?.AbsolutePath ?? "?", e.Message);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.HttpMethod != "GET")
        {
            response.AddHeader("Allow", "GET");
            Write(response, 405, "text/plain; charset=utf-8", "method not allowed\n");
            return;
        }

        switch (request.Url?.AbsolutePath)
        {
            case "/healthz":
                var health = source.Read();
                var answer = new HealthAnswer(health.Healthy ? "ok" : "unhealthy", health.Problem, health.Time);
                Write(response, health.Healthy ? 200 : 503, "application/json", JsonSerializer.Serialize(answer, StatusJson.Default.HealthAnswer));
                break;
            case "/metrics":
                Write(response, 200, PrometheusText.ContentType, PrometheusText.Format(source.Read()));
                break;
            case "/status":
                Write(response, 200, "application/json", JsonSerializer.Serialize(source.Read(), StatusJson.Default.AgentStatus));
                break;
            default:
                Write(response, 404, "text/plain; charset=utf-8", "not found: /healthz, /metrics, /status\n");
                break;
        }
    }

    private static void Write(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.Headers["Cache-Control"] = "no-store";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Status endpoint off (Status:Port = 0)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Status endpoint on {Prefix} (/healthz, /metrics, /status)")]
    private static partial void LogListening(ILogger logger, string prefix);

    [LoggerMessage(Level = LogLevel.Error, Message = "Status endpoint could not listen on 127.0.0.1:{Port}: {Reason}; the station runs without it")]
    private static partial void LogListenFailed(ILogger logger, int port, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status request {Path} failed: {Reason}")]
    private static partial void LogAnswerFailed(ILogger logger, string path, string reason);
}
