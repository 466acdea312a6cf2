using System.Text;

namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// A parsed, validated GS1 scan: the AIs in the order they were encoded, with typed access to the ones ColdTrace uses.
/// Made only by <see cref="Gs1Parser"/> and <see cref="Gs1DigitalLink"/>, so every value in it has passed its checks.
/// </summary>
public sealed class Gs1Scan
{
    private readonly Gs1Element[] elements;

    internal Gs1Scan(Gs1Symbology symbology, Gs1SyntaxForm form, Gs1Element[] elements, Expiry? expiry)
    {
        Symbology = symbology;
        Form = form;
        this.elements = elements;
        Expiry = expiry;
        Gtin = Find("01") is { } gtin ? Gs1.Gtin.FromChecked(gtin) : null;
        Sscc = Find("00") is { } sscc ? Gs1.Sscc.FromChecked(sscc) : null;
        Serial = Find("21") is { } serial ? Gs1.Serial.FromChecked(serial) : null;
        Lot = Find("10") is { } lot ? Gs1.Lot.FromChecked(lot) : null;
        ShipTo = Find("410") is { } shipTo ? Gln.FromChecked(shipTo) : null;
        Location = Find("414") is { } location ? Gln.FromChecked(location) : null;
        Giai = Find("8004") is { } giai ? Gs1.Giai.FromChecked(giai) : null;
    }

    /// <summary>The carrier, from the AIM symbology identifier.</summary>
    public Gs1Symbology Symbology { get; }

    /// <summary>The syntax the data arrived in.</summary>
    public Gs1SyntaxForm Form { get; }

    /// <summary>Every AI in encoded order (a Digital Link's path AIs first, then its query AIs).</summary>
    public IReadOnlyList<Gs1Element> Elements => elements;

    /// <summary>The AIs that were skipped by the predefined-length table rather than interpreted.</summary>
    public IReadOnlyList<Gs1Element> UnknownElements => [.. elements.Where(e => !e.IsKnown)];

    /// <summary>AI (01).</summary>
    public Gtin? Gtin { get; }

    /// <summary>AI (00).</summary>
    public Sscc? Sscc { get; }

    /// <summary>AI (21).</summary>
    public Serial? Serial { get; }

    /// <summary>AI (10).</summary>
    public Lot? Lot { get; }

    /// <summary>AI (17), resolved with the "now" given to the parser.</summary>
    public Expiry? Expiry { get; }

    /// <summary>AI (410), ship to / deliver to.</summary>
    public Gln? ShipTo { get; }

    /// <summary>AI (414), identification of a physical location.</summary>
    public Gln? Location { get; }

    /// <summary>AI (8004).</summary>
    public Giai? Giai { get; }

    /// <summary>The data of an AI, if present.</summary>
    /// <param name="ai">The AI, e.g. <c>17</c>.</param>
    /// <param name="value">The data on success.</param>
    /// <returns>Whether the AI is present.</returns>
    public bool TryGetValue(string ai, out string value)
    {
        var found = Find(ai);
        value = found ?? string.Empty;
        return found is not null;
    }

    /// <summary>Human-readable bracketed form, e.g. <c>(01)12312312312333(10)ABC123</c>; a <c>(</c> inside data is written <c>\(</c>.</summary>
    /// <returns>The bracketed string.</returns>
    public string ToBracketed()
    {
        var text = new StringBuilder();
        foreach (var element in elements)
        {
            text.Append('(').Append(element.Ai).Append(')').Append(element.Value.Replace("(", "\\(", StringComparison.Ordinal));
        }

        return text.ToString();
    }

    /// <summary>
    /// The element string as a scanner transmits it after the symbology identifier: FNC1 separators as GS (0x1D) after
    /// every element that needs one, except the last (GS1 General Specifications §7.8.4).
    /// </summary>
    /// <returns>The element string, without symbology identifier.</returns>
    public string ToElementString()
    {
        var text = new StringBuilder();
        for (var i = 0; i < elements.Length; i++)
        {
            text.Append(elements[i].Ai).Append(elements[i].Value);
            if (elements[i].NeedsSeparator && i < elements.Length - 1)
            {
                text.Append(Gs1Parser.GroupSeparator);
            }
        }

        return text.ToString();
    }

    /// <summary>This scan as a GS1 Digital Link URI under <paramref name="baseUri"/> (see <see cref="Gs1DigitalLink.Format"/>).</summary>
    /// <param name="baseUri">An absolute http or https URI, e.g. <c>https://id.gs1.org</c>.</param>
    /// <returns>The URI, or why there is none.</returns>
    public Gs1Result<string> ToDigitalLink(string baseUri) => Gs1DigitalLink.Format(this, baseUri);

    /// <inheritdoc/>
    public override string ToString() => ToBracketed();

    private string? Find(string ai)
    {
        foreach (var element in elements)
        {
            if (element.Ai == ai)
            {
                return element.Value;
            }
        }

        return null;
    }
}
