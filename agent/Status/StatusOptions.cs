using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Agent.Status;

/// <summary>The loopback status endpoint (<c>/healthz</c>, <c>/metrics</c>, <c>/status</c>): configuration section <c>Status</c>.</summary>
internal sealed class StatusOptions
{
    public const string Section = "Status";

    /// <summary>The TCP port on 127.0.0.1; <c>0</c> turns the endpoint off (then <c>status</c> reads the store only when the agent is stopped).</summary>
    [Range(0, 65535, ErrorMessage = "Status:Port must lie between 0 (off) and 65535.")]
    public int Port { get; set; } = 9180;

    public bool IsEnabled => Port > 0;
}
