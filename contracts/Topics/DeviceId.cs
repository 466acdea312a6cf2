using System.Buffers;

namespace SupplyChain.Contracts.Topics;

/// <summary>
/// A device id: 1–64 characters of <c>A–Z a–z 0–9 . _ -</c>, the same rule as <c>ct:deviceId</c> (PROTOCOL.md §2.2).
/// It is one MQTT topic level, the MQTT client id and the MQTT user name of the device (PROTOCOL.md §5), so it can
/// never hold a <c>/</c>, <c>+</c> or <c>#</c>.
/// </summary>
public readonly record struct DeviceId
{
    /// <summary>Longest device id.</summary>
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    private readonly string? value;

    private DeviceId(string value) => this.value = value;

    /// <summary>The id text; empty only for <see langword="default"/>.</summary>
    public string Value => value ?? string.Empty;

    /// <summary>Parses a device id.</summary>
    /// <param name="text">The candidate id.</param>
    /// <param name="id">The id on success; <see langword="default"/> otherwise.</param>
    /// <param name="reason">Why it was rejected; empty on success.</param>
    /// <returns>Whether <paramref name="text"/> is a valid device id.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out DeviceId id, out string reason)
    {
        id = default;
        if (text.IsEmpty || text.Length > MaxLength)
        {
            reason = $"a device id is 1 to {MaxLength} characters";
            return false;
        }

        if (text.ContainsAnyExcept(Allowed))
        {
            reason = "a device id holds only A-Z a-z 0-9 . _ -";
            return false;
        }

        id = new DeviceId(text.ToString());
        reason = string.Empty;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;
}
