using Microsoft.Extensions.Options;

namespace SupplyChain.Hub.Broker;

/// <summary>
/// The section <c>Broker:External</c>: where the external broker is and how the hub logs in (firmware-config/mosquitto:
/// the hub's user may read every device's events and verify topics and write acks, answers, recalls and the checkpoint).
/// </summary>
internal sealed class ExternalBrokerOptions
{
    /// <summary>The broker's host name or address.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>The broker's TCP port: 1883 for plain MQTT, 8883 usually with TLS.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>The hub's MQTT user name; <c>$hub</c> by default, which no device id can equal (PROTOCOL.md §5.1).</summary>
    public string Username { get; set; } = EmbeddedBroker.HubClientId;

    /// <summary>The hub's MQTT client id; one hub instance per id (a second one would take the session over).</summary>
    public string ClientId { get; set; } = EmbeddedBroker.HubClientId;

    /// <summary>
    /// The MQTT 5 shared-subscription group of several hub instances on one PostgreSQL database (docs/OPERATIONS.md
    /// "Several hub instances"): the hub subscribes to <c>$share/{group}/…/events</c> and <c>…/verify</c>, so the broker
    /// hands each device message to one instance of the group. Empty (the default): one hub takes every message.
    /// Requires <c>Storage:Backend=Postgres</c> and a <see cref="ClientId"/> of its own per instance.
    /// </summary>
    public string? SharedGroup { get; set; }

    /// <summary>The hub's broker password. Prefer <see cref="PasswordFile"/>.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the hub's broker password (first line), readable only by the hub's service user.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Connect with TLS, checking the broker's certificate against the system store or <see cref="CaFile"/>.</summary>
    public bool UseTls { get; set; }

    /// <summary>A PEM file with the CA that signed the broker's certificate, when it is not in the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// How long the broker keeps the hub's session (its subscriptions and the device messages queued for it) while the hub
    /// is away; events published meanwhile wait there (and in the agents' outboxes, which resend them anyway).
    /// </summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Longest wait for CONNACK, SUBACK or a PUBACK.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; doubled per failed attempt up to <see cref="BackoffMax"/>, with jitter.</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The password from <see cref="Password"/> or the first line of <see cref="PasswordFile"/>.</summary>
    public string ReadPassword() => PasswordFile is { Length: > 0 } path
        ? File.ReadLines(path).FirstOrDefault()?.Trim() ?? string.Empty
        : Password ?? string.Empty;
}

/// <summary>Checks <c>Broker:External</c> at start when the external mode is on, naming the key that is wrong.</summary>
internal sealed class ExternalBrokerOptionsValidator(IOptions<Storage.StorageOptions> storage) : IValidateOptions<BrokerOptions>
{
    private const string Prefix = "Broker:External:";

    public ValidateOptionsResult Validate(string? name, BrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var external = options.External;
        var failures = new List<string>();
        if (external.SharedGroup is { Length: > 0 } group)
        {
            SharedGroup(failures, options, group, storage.Value.Backend);
        }

        if (!options.IsExternal)
        {
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (string.IsNullOrWhiteSpace(external.Host))
        {
            failures.Add($"{Prefix}Host is required when Broker:Mode is External.");
        }

        if (external.Port is < 1 or > 65535)
        {
            failures.Add($"{Prefix}Port must lie between 1 and 65535.");
        }

        if (string.IsNullOrWhiteSpace(external.Username))
        {
            failures.Add($"{Prefix}Username must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(external.ClientId))
        {
            failures.Add($"{Prefix}ClientId must not be empty.");
        }

        var hasPassword = !string.IsNullOrEmpty(external.Password);
        var hasFile = !string.IsNullOrEmpty(external.PasswordFile);
        if (hasPassword == hasFile)
        {
            failures.Add($"{Prefix}Password or {Prefix}PasswordFile is required (exactly one) when Broker:Mode is External.");
        }
        else if (hasFile && !File.Exists(external.PasswordFile))
        {
            failures.Add($"{Prefix}PasswordFile '{external.PasswordFile}' does not exist.");
        }

        if (external.CaFile is { Length: > 0 } ca)
        {
            if (!external.UseTls)
            {
                failures.Add($"{Prefix}CaFile is set but {Prefix}UseTls is false.");
            }
            else if (!File.Exists(ca))
            {
                failures.Add($"{Prefix}CaFile '{ca}' does not exist.");
            }
        }

        Positive(failures, "SessionExpiry", external.SessionExpiry, TimeSpan.FromSeconds(uint.MaxValue));
        Positive(failures, "Timeout", external.Timeout, TimeSpan.FromMinutes(10));
        Positive(failures, "BackoffInitial", external.BackoffInitial, TimeSpan.FromHours(1));
        Positive(failures, "BackoffMax", external.BackoffMax, TimeSpan.FromHours(1));
        if (external.BackoffMax < external.BackoffInitial)
        {
            failures.Add($"{Prefix}BackoffMax must not be below {Prefix}BackoffInitial.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Several instances: only on PostgreSQL (LiteDB files belong to one hub), only through an external broker.</summary>
    private static void SharedGroup(List<string> failures, BrokerOptions options, string group, Storage.StorageBackend backend)
    {
        if (backend != Storage.StorageBackend.Postgres)
        {
            failures.Add(
                $"{Prefix}SharedGroup is set, but several hub instances need Storage:Backend=Postgres: LiteDB files belong to one hub " +
                "and its device chains and checkpoints are kept in that hub's memory. Remove the setting or move to PostgreSQL.");
        }

        if (!options.IsExternal)
        {
            failures.Add($"{Prefix}SharedGroup needs Broker:Mode=External (a shared subscription on an external MQTT 5 broker).");
        }

        // MQTT 5 §4.8.2: a ShareName is at least one character and holds no '/', '+' or '#'.
        if (group.AsSpan().IndexOfAny("/+#") >= 0 || group.Any(char.IsWhiteSpace))
        {
            failures.Add($"{Prefix}SharedGroup '{group}' must not contain '/', '+', '#' or spaces (MQTT 5 §4.8.2 ShareName).");
        }

        if (string.Equals(options.External.ClientId, EmbeddedBroker.HubClientId, StringComparison.Ordinal))
        {
            failures.Add(
                $"{Prefix}ClientId must be set to a name of this instance's own when {Prefix}SharedGroup is set: instances sharing " +
                "a client id take each other's broker session over.");
        }
    }

    private static void Positive(List<string> failures, string key, TimeSpan value, TimeSpan max)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            failures.Add($"{Prefix}{key} must be positive and at most {max}.");
        }
    }
}
