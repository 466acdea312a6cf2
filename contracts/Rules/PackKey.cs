using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Rules;

/// <summary>
/// One serialized pack: GTIN-14 plus serial (GS1 SGTIN), the key of every custody rule (PROTOCOL.md §6.1).
/// Ordered by GTIN, then serial (ordinal), so every list the rules return has one canonical order.
/// </summary>
/// <param name="Gtin">The trade item.</param>
/// <param name="Serial">The serial number.</param>
public readonly record struct PackKey(Gtin Gtin, Serial Serial) : IComparable<PackKey>
{
    /// <summary>The host that events use for Digital Link identifiers (PROTOCOL.md §2.1).</summary>
    public const string IdentifierBase = "https://id.gs1.org";

    /// <summary>Reads a pack identifier: a GS1 Digital Link URI with primary key (01) and qualifier (21).</summary>
    /// <param name="uri">E.g. <c>https://id.gs1.org/01/09506000134352/21/ABC123</c>.</param>
    /// <param name="pack">The pack on success; <see langword="default"/> otherwise.</param>
    /// <param name="reason">Why it is not a pack identifier; empty on success.</param>
    /// <returns>Whether <paramref name="uri"/> names one serialized pack.</returns>
    public static bool TryParse(string? uri, out PackKey pack, out string reason)
    {
        pack = default;
        if (!DigitalLinkKeys.TryRead(uri, out var scan, out reason))
        {
            return false;
        }

        if (scan.Gtin is not { } gtin || scan.Serial is not { } serial || scan.Sscc is not null || scan.Location is not null)
        {
            reason = $"'{uri}' is not a serialized pack (/01/{{gtin}}/21/{{serial}}).";
            return false;
        }

        pack = new PackKey(gtin, serial);
        return true;
    }

    /// <summary>The identifier events use: <c>https://id.gs1.org/01/{gtin}/21/{serial}</c>, the serial percent-encoded (RFC 3986 unreserved characters kept).</summary>
    /// <returns>The URI.</returns>
    public string ToDigitalLink() => $"{IdentifierBase}/01/{Gtin.Value}/21/{Uri.EscapeDataString(Serial.Value)}";

    /// <inheritdoc/>
    public int CompareTo(PackKey other)
    {
        var byGtin = string.CompareOrdinal(Gtin.Value, other.Gtin.Value);
        return byGtin != 0 ? byGtin : string.CompareOrdinal(Serial.Value, other.Serial.Value);
    }

    /// <summary>Whether <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    public static bool operator <(PackKey left, PackKey right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    public static bool operator >(PackKey left, PackKey right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> sorts before or equal to <paramref name="right"/>.</summary>
    public static bool operator <=(PackKey left, PackKey right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> sorts after or equal to <paramref name="right"/>.</summary>
    public static bool operator >=(PackKey left, PackKey right) => left.CompareTo(right) >= 0;

    /// <inheritdoc/>
    public override string ToString() => $"(01){Gtin.Value}(21){Serial.Value}";
}
