using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Agent.Recalls;

/// <summary>
/// The hub's note-verifier key, <c>Delivery:HubKey</c>: the log's vkey (<c>name+hex8+base64</c>) the hub prints at start.
/// It verifies the site's recall list (PROTOCOL.md §5.6). Bound from the <c>Delivery</c> section beside the broker
/// settings because it names the same hub; empty turns the offline recall check off.
/// </summary>
internal sealed class HubKeyOptions
{
    public const string Section = "Delivery";

    public string? HubKey { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(HubKey);

    /// <summary>The verifier; valid after options validation, null when no key is configured.</summary>
    public NoteVerifier? Verifier() => !IsConfigured
        ? null
        : NoteVerifier.TryParse(HubKey!.Trim(), out var verifier, out var reason)
            ? verifier
            : throw new InvalidOperationException($"Delivery:HubKey was not validated: {reason}");
}

/// <summary>Checks <c>Delivery:HubKey</c> at start, so a mistyped key fails the boot instead of every recall list.</summary>
internal sealed class HubKeyOptionsValidator : IValidateOptions<HubKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, HubKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        return NoteVerifier.TryParse(options.HubKey!.Trim(), out _, out var reason)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Delivery:HubKey is not a note verifier key (name+hex8+base64, as the hub prints it at start): {reason}");
    }
}
