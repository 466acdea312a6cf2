using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Hub.Broker;

/// <summary>The "Broker" configuration section: the embedded MQTT 5 broker devices connect to (DESIGN §4).</summary>
internal sealed class BrokerOptions
{
    public const string Section = "Broker";

    /// <summary>Run the embedded broker. On by default; off when an external broker is used.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The IPv4 address to listen on; loopback by default, <c>0.0.0.0</c> for every interface.</summary>
    [Required]
    [RegularExpression(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$", ErrorMessage = "Broker:Address must be an IPv4 address such as 127.0.0.1 or 0.0.0.0.")]
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The TCP port; 1883 by default (MQTT without TLS), 0 for a free port chosen at start (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;
}
