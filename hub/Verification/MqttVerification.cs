using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Verification;

/// <summary>
/// Verification over MQTT request/response (PROTOCOL.md §5.7): a device publishes <c>{"scan": "…"}</c> on its
/// <c>…/devices/{id}/verify</c> topic; the hub answers on <c>…/devices/{id}/answers</c> with the JSON body
/// <c>POST /v1/verify</c> would return for the device's own site (or its ProblemDetails), the request's MQTT 5
/// correlation data, and a user property <c>status</c> holding the HTTP status (200 or 400).
/// </summary>
internal sealed partial class MqttVerification(
    VerifyQueue queue,
    ScanVerifier verifier,
    IDeviceRegistry registry,
    IHubPublisher publisher,
    IOptions<JsonOptions> json,
    ILogger<MqttVerification> logger) : BackgroundService
{
    /// <summary>The MQTT 5 user property carrying the HTTP status the same request would get.</summary>
    public const string StatusProperty = "status";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await AnswerAsync(request, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // One failed answer (the broker went away, a bug in one request) must not stop the others; the device asks again.
                    LogAnswerFailed(request.Device, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; unanswered devices time out and ask again.
        }
    }

    private async Task AnswerAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        // The site is the asking device's, never one the request names: a pharmacy scanner verifies for its pharmacy.
        if (registry.Find(request.Device) is not { IsActive: true } device)
        {
            LogUnknownDevice(request.Device);
            return;
        }

        var options = json.Value.SerializerOptions;
        byte[] body;
        int status;
        if (!TryReadScan(request.Payload, options, out var scan))
        {
            (status, body) = Problem("Bad request", "The payload must be JSON {\"scan\": \"<raw scan data>\"}.", options);
        }
        else
        {
            var outcome = verifier.Verify(scan, device.Site);
            (status, body) = outcome.Answer is { } answer
                ? (StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(answer, options))
                : Problem(outcome.Title!, outcome.Detail!, options);
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(ColdTraceTopic.DeviceAnswers(device.Id))
            .WithPayload(body)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType(status == StatusCodes.Status200OK ? "application/json" : "application/problem+json")
            .WithCorrelationData(request.CorrelationData)
            .WithUserProperty(StatusProperty, Encoding.UTF8.GetBytes(status.ToString(CultureInfo.InvariantCulture)))
            .Build();
        await publisher.PublishAsync(message, cancellationToken);
    }

    private static bool TryReadScan(ReadOnlyMemory<byte> payload, JsonSerializerOptions options, out string? scan)
    {
        scan = null;
        try
        {
            scan = JsonSerializer.Deserialize<ScanMessage>(payload.Span, options)?.Scan;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static (int Status, byte[] Body) Problem(string title, string detail, JsonSerializerOptions options) =>
        (StatusCodes.Status400BadRequest,
         JsonSerializer.SerializeToUtf8Bytes(new Microsoft.AspNetCore.Mvc.ProblemDetails { Title = title, Detail = detail, Status = StatusCodes.Status400BadRequest }, options));

    private sealed record ScanMessage(string? Scan);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification request from device {Device} could not be answered")]
    private partial void LogAnswerFailed(DeviceId device, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification request from unknown or revoked device {Device} ignored")]
    private partial void LogUnknownDevice(DeviceId device);
}
