namespace SupplyChain.Contracts.Gs1;

/// <summary>Which GS1 syntax the data used.</summary>
public enum Gs1SyntaxForm
{
    /// <summary>AI element strings with FNC1 separators (GenSpecs §7.8).</summary>
    ElementString = 1,

    /// <summary>Human-readable bracketed form, <c>(01)…(21)…</c>.</summary>
    Bracketed = 2,

    /// <summary>A GS1 Digital Link URI.</summary>
    DigitalLink = 3,

    /// <summary>A plain EAN/UPC number, read as AI (01).</summary>
    Ean = 4,
}
