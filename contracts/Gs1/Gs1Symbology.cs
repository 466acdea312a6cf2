namespace SupplyChain.Contracts.Gs1;

/// <summary>The carrier a scan came from, from its AIM symbology identifier (ISO/IEC 15424).</summary>
public enum Gs1Symbology
{
    /// <summary>No symbology identifier was sent (a keyboard-wedge scanner without AIM prefixes, or typed data).</summary>
    Unspecified = 0,

    /// <summary><c>]d2</c> GS1 DataMatrix, or <c>]d1</c> DataMatrix carrying a Digital Link URI.</summary>
    DataMatrix = 1,

    /// <summary><c>]C1</c> GS1-128.</summary>
    Gs1128 = 2,

    /// <summary><c>]Q3</c> GS1 QR Code, or <c>]Q1</c> QR Code carrying a Digital Link URI.</summary>
    QrCode = 3,

    /// <summary><c>]e0</c> GS1 DataBar.</summary>
    DataBar = 4,

    /// <summary><c>]E0</c> EAN-13 or UPC-A.</summary>
    Ean13 = 5,

    /// <summary><c>]E4</c> EAN-8.</summary>
    Ean8 = 6,
}
