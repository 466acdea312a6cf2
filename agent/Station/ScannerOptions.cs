using Microsoft.Extensions.Options;
using SupplyChain.Agent.Scanners;

namespace SupplyChain.Agent.Station;

/// <summary>Which barcode scanner the station reads: configuration section <c>Scanner</c>.</summary>
internal sealed class ScannerOptions
{
    public const string Section = "Scanner";

    /// <summary><c>evdev</c> (USB keyboard wedge), <c>serial</c> (RS-232 or USB CDC-ACM), <c>tcp</c> or <c>stdin</c> (development), or <c>none</c>.</summary>
    public string Type { get; set; } = "none";

    /// <summary>evdev: e.g. <c>/dev/input/by-id/usb-Honeywell_…-event-kbd</c>.</summary>
    public string? DevicePath { get; set; }

    /// <summary>serial: e.g. <c>/dev/serial/by-id/usb-Zebra_…-if00</c>.</summary>
    public string? PortName { get; set; }

    public int BaudRate { get; set; } = 9600;

    /// <summary>tcp: the loopback port to listen on.</summary>
    public int TcpPort { get; set; } = 5555;

    /// <summary>The character the scanner sends instead of FNC1, if it was configured to (one of <c>#$@[\]^`{|}~</c>).</summary>
    public string? Fnc1Substitute { get; set; }

    public Fnc1Substitute ParsedSubstitute =>
        Fnc1Substitute is { Length: 1 } text && Scanners.Fnc1Substitute.TryCreate(text[0], out var substitute, out _)
            ? substitute
            : Scanners.Fnc1Substitute.None;
}

internal sealed class ScannerOptionsValidator : IValidateOptions<ScannerOptions>
{
    public ValidateOptionsResult Validate(string? name, ScannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        switch (options.Type)
        {
            case "none" or "stdin":
                break;
            case "evdev" when string.IsNullOrEmpty(options.DevicePath):
                failures.Add("Scanner:DevicePath is required for an evdev scanner.");
                break;
            case "serial" when string.IsNullOrEmpty(options.PortName):
                failures.Add("Scanner:PortName is required for a serial scanner.");
                break;
            case "serial" when options.BaudRate is < 300 or > 4_000_000:
                failures.Add("Scanner:BaudRate must lie between 300 and 4000000.");
                break;
            case "tcp" when options.TcpPort is < 1 or > 65535:
                failures.Add("Scanner:TcpPort must lie between 1 and 65535.");
                break;
            case "evdev" or "serial" or "tcp":
                break;
            default:
                failures.Add($"Scanner:Type '{options.Type}' is not one of none, evdev, serial, tcp, stdin.");
                break;
        }

        if (options.Fnc1Substitute is { Length: > 0 } text)
        {
            if (text.Length != 1)
            {
                failures.Add($"Scanner:Fnc1Substitute '{text}' must be one character.");
            }
            else if (!Fnc1Substitute.TryCreate(text[0], out _, out var reason))
            {
                failures.Add($"Scanner:Fnc1Substitute: {reason}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
