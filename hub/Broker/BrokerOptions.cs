using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Hub.Broker;

/// <summary>Which MQTT broker the devices connect to (DESIGN §4).</summary>
internal enum BrokerMode
{
    /// <summary>MQTTnet's broker inside the hub, with device authentication and ACLs (<see cref="EmbeddedBroker"/>).</summary>
    Embedded = 0,

    /// <summary>An external broker (Mosquitto) enforcing the ACLs; the hub is one of its clients (<see cref="ExternalBroker"/>).</summary>
    External = 1,
}

/// <summary>The "Broker" configuration section: the embedded MQTT 5 broker, or the external one the hub consumes from.</summary>
internal sealed class BrokerOptions
{
    public const string Section = "Broker";

    /// <summary>Talk MQTT at all. On by default; off only for tools and tests that need no broker.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Embedded</c> (default) or <c>External</c> (then <see cref="External"/> says where).</summary>
    public BrokerMode Mode { get; set; } = BrokerMode.Embedded;

    /// <summary>The embedded broker's IPv4 address to listen on; loopback by default, <c>0.0.0.0</c> for every interface.</summary>
    [Required]
    [RegularExpression(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$", ErrorMessage = "Broker:Address must be an IPv4 address such as 127.0.0.1 or 0.0.0.0.")]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The embedded broker's TCP port; 1883 by default (MQTT without TLS), 0 for a free port chosen at start (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>The external broker (section <c>Broker:External</c>), used when <see cref="Mode"/> is <c>External</c>.</summary>
    public ExternalBrokerOptions External { get; set; } = new();

    public bool IsExternal => Enabled && Mode == BrokerMode.External;

    public bool IsEmbedded => Enabled && Mode == BrokerMode.Embedded;
}
