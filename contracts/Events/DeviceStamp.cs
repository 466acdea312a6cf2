using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Events;

/// <summary>
/// The device fields every event carries (PROTOCOL.md §2.2): who made it, its place in the device's chain,
/// the boot it was made in, and whether the clock was synchronised.
/// </summary>
/// <param name="DeviceId">Device id, 1–64 characters of <c>A-Z a-z 0-9 . _ -</c>.</param>
/// <param name="Seq">Per-device sequence number, 0 to 2^53−1, never repeated.</param>
/// <param name="Prev">Event id of the device's previous event; <see cref="EventId.None"/> for the first.</param>
/// <param name="BootId">Boot id (e.g. Linux <c>/proc/sys/kernel/random/boot_id</c>), same character set as the device id.</param>
/// <param name="ClockSynced">Whether the wall clock was synchronised when the event was made.</param>
public readonly record struct DeviceStamp(string DeviceId, long Seq, EventId Prev, string BootId, bool ClockSynced)
{
    /// <summary>Largest sequence number: 2^53−1, so every JSON reader holds it exactly.</summary>
    public const long MaxSeq = (1L << 53) - 1;

    internal static bool IsToken(string? value) =>
        value is { Length: > 0 and <= 64 } && !value.AsSpan().ContainsAnyExcept(TokenChars);

    private static readonly System.Buffers.SearchValues<char> TokenChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
}
