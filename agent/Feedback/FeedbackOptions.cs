using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SupplyChain.Agent.Feedback;

/// <summary>How the station shows green and red: configuration section <c>Feedback</c>. GPIO pins (BCM numbering) of the
/// LEDs and buzzer, and a signal file. Leave all unset for a station without them.</summary>
internal sealed class FeedbackOptions
{
    public const string Section = "Feedback";

    [Range(0, 27, ErrorMessage = "Feedback:GreenLedPin must be a BCM GPIO number 0-27.")]
    public int? GreenLedPin { get; set; }

    [Range(0, 27, ErrorMessage = "Feedback:RedLedPin must be a BCM GPIO number 0-27.")]
    public int? RedLedPin { get; set; }

    [Range(0, 27, ErrorMessage = "Feedback:BuzzerPin must be a BCM GPIO number 0-27.")]
    public int? BuzzerPin { get; set; }

    /// <summary>
    /// A file that gets one line per signal shown (<see cref="SignalFile"/>), written before the LEDs light; "-" writes
    /// the lines to standard output. Unset: no signal lines.
    /// </summary>
    public string? SignalFile { get; set; }

    /// <summary>At least one GPIO pin is set.</summary>
    public bool IsConfigured => GreenLedPin is not null || RedLedPin is not null || BuzzerPin is not null;

    public bool HasSignalFile => !string.IsNullOrEmpty(SignalFile);
}

/// <summary>The pins must be distinct: one pin cannot drive two things. The signal file's folder must exist.</summary>
internal sealed class FeedbackOptionsValidator : IValidateOptions<FeedbackOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedbackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        int?[] pins = [options.GreenLedPin, options.RedLedPin, options.BuzzerPin];
        var used = pins.OfType<int>().ToList();
        if (used.Count != used.Distinct().Count())
        {
            failures.Add("Feedback:GreenLedPin, Feedback:RedLedPin and Feedback:BuzzerPin must be different pins.");
        }

        if (options.SignalFile is { Length: > 0 } path && path != Feedback.SignalFile.StandardOutput)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (Directory.Exists(path))
            {
                failures.Add($"Feedback:SignalFile '{path}' is a directory; name a file in it.");
            }
            else if (folder is null || !Directory.Exists(folder))
            {
                failures.Add($"Feedback:SignalFile '{path}': the folder '{folder}' does not exist.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
