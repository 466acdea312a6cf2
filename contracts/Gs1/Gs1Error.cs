namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// Why GS1 data was rejected. The names are stable: they appear in logs, acks and <c>docs/PROTOCOL.md</c> §1,
/// so a member is never renamed or reused for another meaning.
/// </summary>
public enum Gs1ErrorCode
{
    /// <summary>Nothing to parse, or nothing after the symbology identifier.</summary>
    EmptyInput = 1,

    /// <summary>A <c>]</c> prefix that is not one of the AIM identifiers we accept.</summary>
    UnknownSymbologyIdentifier = 2,

    /// <summary>The data is not in any GS1 form (element string, bracketed, Digital Link, EAN/UPC).</summary>
    NotGs1Data = 3,

    /// <summary>A character outside the set the AI allows (GS1 GenSpecs §7.11, character set 82 or digits).</summary>
    BadCharacter = 4,

    /// <summary>An AI we do not know and whose length the predefined-length table (GenSpecs Figure 7.8.4-2) does not give.</summary>
    UnknownAi = 5,

    /// <summary>A fixed-length field is shorter than its AI requires.</summary>
    FieldTooShort = 6,

    /// <summary>A field is longer than its AI allows.</summary>
    FieldTooLong = 7,

    /// <summary>An element string without the FNC1 separator a field needs, so it cannot be split unambiguously.</summary>
    MissingSeparator = 8,

    /// <summary>The mod-10 check digit of a GTIN, SSCC or GLN is wrong (GenSpecs §7.9.1).</summary>
    BadCheckDigit = 9,

    /// <summary>A YYMMDD date that does not exist (month 13, 30 February, ...).</summary>
    InvalidDate = 10,

    /// <summary>An AI that appears twice with different values (or at all twice in a Digital Link URI).</summary>
    DuplicateAi = 11,

    /// <summary>An AI present without an AI it requires, e.g. (21) without (01) (GenSpecs §4.14.2).</summary>
    MissingRequiredAi = 12,

    /// <summary>Two AIs that must not appear together, e.g. (01) with (02) (GenSpecs §4.14.1).</summary>
    ConflictingAis = 13,

    /// <summary>Bracketed human-readable data that is not <c>(AI)value(AI)value…</c>.</summary>
    BadBracketedSyntax = 14,

    /// <summary>A URI that is not a well-formed GS1 Digital Link URI (GS1 Digital Link URI syntax).</summary>
    InvalidDigitalLink = 15,

    /// <summary>The data has no AI that can be a Digital Link primary key (00, 01, 414, 8004).</summary>
    NoPrimaryKey = 16,
}

/// <summary>A rejection: a stable <see cref="Code"/>, a human sentence, and the AI it concerns when there is one.</summary>
/// <param name="Code">The stable reason code.</param>
/// <param name="Message">A sentence for people; wording may change between versions, the code does not.</param>
/// <param name="Ai">The application identifier the reason is about, or <see langword="null"/>.</param>
public sealed record Gs1Error(Gs1ErrorCode Code, string Message, string? Ai = null)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Code}: {Message}";
}
