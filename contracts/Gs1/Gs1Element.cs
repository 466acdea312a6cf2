namespace SupplyChain.Contracts.Gs1;

/// <summary>One AI and its data, as found in a scan.</summary>
public sealed class Gs1Element
{
    internal Gs1Element(string ai, string value, string title, bool isKnown, bool needsSeparator)
    {
        Ai = ai;
        Value = value;
        Title = title;
        IsKnown = isKnown;
        NeedsSeparator = needsSeparator;
    }

    /// <summary>The application identifier, e.g. <c>01</c>.</summary>
    public string Ai { get; }

    /// <summary>The data, exactly as encoded.</summary>
    public string Value { get; }

    /// <summary>The GS1 data title, e.g. <c>GTIN</c>; empty for AIs we only skipped.</summary>
    public string Title { get; }

    /// <summary>
    /// <see langword="false"/> for an AI ColdTrace does not interpret: it was skipped by the predefined-length table
    /// (GS1 General Specifications Figure 7.8.4-2) and is reported, not validated beyond being numeric.
    /// </summary>
    public bool IsKnown { get; }

    /// <summary>Whether an FNC1 separator must follow this element when another one comes after it (GenSpecs §7.8.4).</summary>
    internal bool NeedsSeparator { get; }

    /// <inheritdoc/>
    public override string ToString() => $"({Ai}){Value}";
}
