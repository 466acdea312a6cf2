using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Agent.Delivery;

/// <summary>How the station reaches the hub's MQTT broker (DESIGN.md §4–5): configuration section <c>Delivery</c>.</summary>
internal sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>The broker's host name or address. Empty turns delivery off: events wait in the outbox.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>The broker's TCP port: 1883 for plain MQTT, 8883 usually with TLS.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Connect with TLS, checking the broker's certificate against the system store or <see cref="CaFile"/>.</summary>
    public bool UseTls { get; set; }

    /// <summary>A PEM file with the CA that signed the broker's certificate, when it is not in the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>The device's broker password (the user name is always the device id). Prefer <see cref="PasswordFile"/>.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the device's broker password (first line), readable only by the service user.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Longest wait for CONNACK, SUBACK or a PUBACK before the connection is given up and reopened.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// MQTT keep-alive (whole seconds, MQTT 5 §3.1.2.10): after this long with nothing sent the agent pings the broker, and
    /// an unanswered ping (<see cref="PublishTimeout"/>) drops the connection. A path that silently stopped carrying
    /// packets is so noticed within <see cref="PublishTimeout"/> plus this, publishing or idle; the broker drops its end
    /// after 1.5 times this.
    /// </summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events the hub has not answered this long after their message was published are sent again.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most event messages published and not yet fully answered by the hub.</summary>
    public int MaxInFlightMessages { get; set; } = 8;

    /// <summary>Most envelopes in one message (PROTOCOL.md §5: 1–128); a message also stays under 256 KiB.</summary>
    public int MaxEnvelopesPerMessage { get; set; } = 64;

    /// <summary>First reconnect delay; doubled per failed attempt up to <see cref="BackoffMax"/>, with jitter.</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An outage at least this long (or a backlog at least this old at start) is drained at <see cref="DrainMessagesPerSecond"/>.</summary>
    public TimeSpan DrainAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages per second while draining a backlog, so a site coming back does not flood the hub.</summary>
    public double DrainMessagesPerSecond { get; set; } = 20;

    /// <summary>How long the broker keeps this device's session (subscription, queued acks) while it is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the outbox is checked for new events while nothing else happens.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the station's status report (backlog, faults; PROTOCOL.md §5.8) is published, besides on each connect.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(60);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The broker password from <see cref="Password"/> or the first line of <see cref="PasswordFile"/>.</summary>
    public string ReadPassword() => PasswordFile is { Length: > 0 } path
        ? File.ReadLines(path).FirstOrDefault()?.Trim() ?? string.Empty
        : Password ?? string.Empty;
}

/// <summary>Checks <see cref="DeliveryOptions"/> at start, naming the key that is wrong.</summary>
internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 1 or > 65535)
        {
            failures.Add("Delivery:Port must lie between 1 and 65535.");
        }

        if (options.IsEnabled)
        {
            var hasPassword = !string.IsNullOrEmpty(options.Password);
            var hasFile = !string.IsNullOrEmpty(options.PasswordFile);
            if (hasPassword == hasFile)
            {
                failures.Add("Delivery:Password or Delivery:PasswordFile is required (exactly one) when Delivery:Host is set.");
            }
            else if (hasFile && !File.Exists(options.PasswordFile))
            {
                failures.Add($"Delivery:PasswordFile '{options.PasswordFile}' does not exist.");
            }
        }

        if (options.CaFile is { Length: > 0 } ca)
        {
            if (!options.UseTls)
            {
                failures.Add("Delivery:CaFile is set but Delivery:UseTls is false.");
            }
            else if (!File.Exists(ca))
            {
                failures.Add($"Delivery:CaFile '{ca}' does not exist.");
            }
        }

        Positive(failures, "PublishTimeout", options.PublishTimeout, TimeSpan.FromMinutes(10));
        Positive(failures, "AckTimeout", options.AckTimeout, TimeSpan.FromHours(1));
        if (options.KeepAlive < TimeSpan.FromSeconds(1) || options.KeepAlive > TimeSpan.FromSeconds(ushort.MaxValue))
        {
            // MQTT carries it as whole seconds in 16 bits; below one second it would be 0, which turns keep-alive off.
            failures.Add($"Delivery:KeepAlive must lie between 1 and {ushort.MaxValue} seconds.");
        }

        Positive(failures, "BackoffInitial", options.BackoffInitial, TimeSpan.FromHours(1));
        Positive(failures, "BackoffMax", options.BackoffMax, TimeSpan.FromHours(1));
        Positive(failures, "DrainAfter", options.DrainAfter, TimeSpan.FromDays(1));
        Positive(failures, "SessionExpiry", options.SessionExpiry, TimeSpan.FromSeconds(uint.MaxValue));
        Positive(failures, "PollInterval", options.PollInterval, TimeSpan.FromMinutes(1));
        Positive(failures, "StatusInterval", options.StatusInterval, TimeSpan.FromDays(1));
        if (options.BackoffMax < options.BackoffInitial)
        {
            failures.Add("Delivery:BackoffMax must not be below Delivery:BackoffInitial.");
        }

        if (options.MaxInFlightMessages is < 1 or > 1000)
        {
            failures.Add("Delivery:MaxInFlightMessages must lie between 1 and 1000.");
        }

        if (options.MaxEnvelopesPerMessage is < 1 or > EventMessage.MaxEnvelopes)
        {
            failures.Add($"Delivery:MaxEnvelopesPerMessage must lie between 1 and {EventMessage.MaxEnvelopes}.");
        }

        if (!double.IsFinite(options.DrainMessagesPerSecond) || options.DrainMessagesPerSecond is < 0.01 or > 10_000)
        {
            failures.Add("Delivery:DrainMessagesPerSecond must lie between 0.01 and 10000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value, TimeSpan max)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            failures.Add($"Delivery:{key} must be positive and at most {max}.");
        }
    }
}
