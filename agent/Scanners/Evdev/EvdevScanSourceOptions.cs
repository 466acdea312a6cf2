using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Agent.Scanners.Evdev;

/// <summary>Which input device to read and how.</summary>
internal sealed class EvdevScanSourceOptions
{
    /// <summary>A stable path such as <c>/dev/input/by-id/usb-Honeywell_…-event-kbd</c>, so the device is found again after
    /// it is unplugged and comes back under another <c>eventN</c>.</summary>
    [Required]
    public string DevicePath { get; set; } = string.Empty;

    /// <summary>Take the device exclusively (EVIOCGRAB) so scans do not type into a login console.</summary>
    public bool Grab { get; set; } = true;

    public InputEventLayout Layout { get; set; } = InputEventLayouts.ForCurrentProcess;

    public Fnc1Substitute Fnc1Substitute { get; set; } = Fnc1Substitute.None;
}
