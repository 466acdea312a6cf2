using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Agent.Scanners.Serial;

/// <summary>A scanner in serial or USB CDC-ACM mode.</summary>
internal sealed class SerialScanSourceOptions
{
    /// <summary>A stable path such as <c>/dev/serial/by-id/usb-Zebra_…-if00</c> so the port is found again after unplugging.</summary>
    [Required]
    public string PortName { get; set; } = string.Empty;

    /// <summary>Ignored by CDC-ACM devices; RS-232 scanners usually ship at 9600 8N1.</summary>
    [Range(300, 4_000_000)]
    public int BaudRate { get; set; } = 9600;

    public Fnc1Substitute Fnc1Substitute { get; set; } = Fnc1Substitute.None;
}
