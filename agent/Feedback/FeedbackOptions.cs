using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Agent.Feedback;

/// <summary>GPIO pins (BCM numbering) of the station's LEDs and buzzer: configuration section <c>Feedback</c>.
/// Leave all unset for a station without them.</summary>
internal sealed class FeedbackOptions
{
    public const string Section = "Feedback";

    [Range(0, 27, ErrorMessage = "Feedback:GreenLedPin must be a BCM GPIO number 0-27.")]
    public int? GreenLedPin { get; set; }

    [Range(0, 27, ErrorMessage = "Feedback:RedLedPin must be a BCM GPIO number 0-27.")]
    public int? RedLedPin { get; set; }

    [Range(0, 27, ErrorMessage = "Feedback:BuzzerPin must be a BCM GPIO number 0-27.")]
    public int? BuzzerPin { get; set; }

    public bool IsConfigured => GreenLedPin is not null || RedLedPin is not null || BuzzerPin is not null;
}

/// <summary>The pins must be distinct: one pin cannot drive two things.</summary>
internal sealed class FeedbackOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<FeedbackOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, FeedbackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int?[] pins = [options.GreenLedPin, options.RedLedPin, options.BuzzerPin];
        var used = pins.OfType<int>().ToList();
        return used.Count == used.Distinct().Count()
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                "Feedback:GreenLedPin, Feedback:RedLedPin and Feedback:BuzzerPin must be different pins.");
    }
}
