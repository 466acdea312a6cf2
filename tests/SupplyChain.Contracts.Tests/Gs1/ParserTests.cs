using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Tests.Gs1;

public sealed class ParserTests
{
    private const string GS = "\u001D";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static Gs1Scan Accept(string input, Gs1ParserOptions? options = null)
    {
        var result = Gs1Parser.Parse(input, Now, options);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    private static Gs1Error Reject(string? input, Gs1ParserOptions? options = null)
    {
        var result = Gs1Parser.Parse(input, Now, options);
        Assert.False(result.IsSuccess, $"accepted as {result.Value}");
        Assert.NotEmpty(result.Error.Message);
        return result.Error;
    }

    [Theory]
    // gs1/gs1-syntax-engine src/c-lib/scandata.c test_scandata_processScanData: successful scans.
    [InlineData("]d2011231231231233310ABC123" + GS + "99TESTING", "(01)12312312312333(10)ABC123(99)TESTING", Gs1Symbology.DataMatrix)]
    [InlineData("]Q3011231231231233310ABC123" + GS + "99TESTING", "(01)12312312312333(10)ABC123(99)TESTING", Gs1Symbology.QrCode)]
    [InlineData("]C1011231231231233310ABC123" + GS + "99TESTING", "(01)12312312312333(10)ABC123(99)TESTING", Gs1Symbology.Gs1128)]
    [InlineData("]e0011231231231233310ABC123" + GS + "99TESTING" + GS + "98XYZ", "(01)12312312312333(10)ABC123(99)TESTING(98)XYZ", Gs1Symbology.DataBar)]
    [InlineData("]e0011231231231233310ABC123" + GS + "1199122598TESTING" + GS + "97XYZ", "(01)12312312312333(10)ABC123(11)991225(98)TESTING(97)XYZ", Gs1Symbology.DataBar)]
    [InlineData("]Q1https://example.com/01/12312312312333?99=TEST", "(01)12312312312333(99)TEST", Gs1Symbology.QrCode)]
    [InlineData("]d1https://example.com/01/12312312312333?99=TEST", "(01)12312312312333(99)TEST", Gs1Symbology.DataMatrix)]
    [InlineData("]E02112345678900", "(01)02112345678900", Gs1Symbology.Ean13)]
    [InlineData("]E402345673", "(01)00000002345673", Gs1Symbology.Ean8)]
    public void Parse_Gs1SyntaxEngineScans_Accepted(string input, string bracketed, Gs1Symbology symbology)
    {
        var scan = Accept(input);
        Assert.Equal(bracketed, scan.ToBracketed());
        Assert.Equal(symbology, scan.Symbology);
    }

    [Theory]
    // gs1/gs1-syntax-engine src/c-lib/scandata.c test_scandata_processScanData: rejected scans.
    [InlineData("", Gs1ErrorCode.EmptyInput)]
    [InlineData("]d2", Gs1ErrorCode.EmptyInput)]
    [InlineData("]C1", Gs1ErrorCode.EmptyInput)]
    [InlineData("]Q3", Gs1ErrorCode.EmptyInput)]
    [InlineData("]e0", Gs1ErrorCode.EmptyInput)]
    [InlineData("ABC", Gs1ErrorCode.NotGs1Data)]
    [InlineData("]", Gs1ErrorCode.UnknownSymbologyIdentifier)]
    [InlineData("]X", Gs1ErrorCode.UnknownSymbologyIdentifier)]
    [InlineData("]XX", Gs1ErrorCode.UnknownSymbologyIdentifier)]
    [InlineData("]Q1TESTING", Gs1ErrorCode.NotGs1Data)]
    [InlineData("]d1TESTING", Gs1ErrorCode.NotGs1Data)]
    [InlineData("]E0123456789012", Gs1ErrorCode.FieldTooShort)]
    [InlineData("]E012345678901234", Gs1ErrorCode.FieldTooLong)]
    [InlineData("]E01234ABC890123", Gs1ErrorCode.BadCharacter)]
    [InlineData("]E02112345678901", Gs1ErrorCode.BadCheckDigit)]
    [InlineData("]E41234567", Gs1ErrorCode.FieldTooShort)]
    [InlineData("]E402345674", Gs1ErrorCode.BadCheckDigit)]
    public void Parse_Gs1SyntaxEngineRejections_RejectedWithCode(string input, Gs1ErrorCode code)
    {
        Assert.Equal(code, Reject(input).Code);
    }

    [Fact]
    public void Parse_Null_EmptyInput()
    {
        Assert.Equal(Gs1ErrorCode.EmptyInput, Reject(null).Code);
    }

    [Fact]
    public void Parse_PharmaPack_TypedValuesExposed()
    {
        var scan = Accept("]d2010952012345678817270600" + "10LOT-42" + GS + "21SER0001");

        Assert.Equal("09520123456788", scan.Gtin?.Value);
        Assert.Equal(new DateOnly(2027, 6, 30), scan.Expiry?.Date);
        Assert.Equal("LOT-42", scan.Lot?.Value);
        Assert.Equal("SER0001", scan.Serial?.Value);
        Assert.Empty(scan.UnknownElements);
        Assert.Equal(Gs1SyntaxForm.ElementString, scan.Form);
    }

    [Fact]
    public void Parse_StationLabels_SsccGlnAndGiaiStandAlone()
    {
        Assert.Equal("123456789012345675", Accept("]C100123456789012345675").Sscc?.Value);
        Assert.Equal("9520123456788", Accept("]C14109520123456788").ShipTo?.Value);
        Assert.Equal("9520123456788", Accept("(414)9520123456788").Location?.Value);
        Assert.Equal("FRIDGE-7", Accept("]d28004FRIDGE-7").Giai?.Value);
    }

    [Theory]
    [InlineData(GS + "011231231231233310ABC123" + GS + "99TESTING")] // FNC1 in first position sent as GS
    [InlineData("011231231231233310ABC123" + GS + "99TESTING")] // no symbology identifier
    [InlineData("]d2" + GS + "011231231231233310ABC123" + GS + "99TESTING")]
    [InlineData("]d2011231231231233310ABC123" + GS + "99TESTING\r\n")] // scanner suffix
    [InlineData("]d20112312312312333" + GS + "10ABC123" + GS + "99TESTING")] // needless GS after a predefined-length AI
    public void Parse_SeparatorVariants_SameData(string input)
    {
        Assert.Equal("(01)12312312312333(10)ABC123(99)TESTING", Accept(input).ToBracketed());
    }

    [Fact]
    public void Parse_ConfiguredSubstitute_ActsAsSeparator()
    {
        var options = new Gs1ParserOptions { SeparatorSubstitute = '^' };

        Assert.Equal("(01)12312312312333(10)ABC123(99)TESTING", Accept("]d2011231231231233310ABC123^99TESTING", options).ToBracketed());
        Assert.Equal(Gs1ErrorCode.BadCharacter, Reject("]d2011231231231233310ABC123^99TESTING").Code);
    }

    [Fact]
    public void Parse_SubstituteInSet82_IsMisuse()
    {
        Assert.Throws<ArgumentException>(() => Gs1Parser.Parse("x", Now, new Gs1ParserOptions { SeparatorSubstitute = '%' }));
    }

    [Fact]
    public void Parse_Bracketed_Accepted()
    {
        var scan = Accept("(01)12312312312333(17)240229(10)AB\\(C)(21)XYZ");

        Assert.Equal(Gs1SyntaxForm.Bracketed, scan.Form);
        Assert.Equal("AB(C)", scan.Lot?.Value);
        Assert.Equal(new DateOnly(2024, 2, 29), scan.Expiry?.Date);
        Assert.Equal("(01)12312312312333(17)240229(10)AB\\(C)(21)XYZ", scan.ToBracketed());
    }

    [Theory]
    [InlineData("(21)ABC123", Gs1ErrorCode.MissingRequiredAi, "21")]
    [InlineData("(10)ABC123", Gs1ErrorCode.MissingRequiredAi, "10")]
    [InlineData("(17)270600", Gs1ErrorCode.MissingRequiredAi, "17")]
    [InlineData("(01)12312312312333(02)12312312312333(37)10", Gs1ErrorCode.ConflictingAis, "01")]
    [InlineData("(02)12312312312333(37)10(01)12312312312333", Gs1ErrorCode.ConflictingAis, "02")]
    [InlineData("(01)12345678901232", Gs1ErrorCode.BadCheckDigit, "01")]
    [InlineData("(00)123456789012345676", Gs1ErrorCode.BadCheckDigit, "00")]
    [InlineData("(410)9520123456787", Gs1ErrorCode.BadCheckDigit, "410")]
    [InlineData("(01)12312312312333(17)210229", Gs1ErrorCode.InvalidDate, "17")]
    [InlineData("(01)12312312312333(17)200230", Gs1ErrorCode.InvalidDate, "17")]
    [InlineData("(01)12312312312333(15)201310", Gs1ErrorCode.InvalidDate, "15")]
    [InlineData("(01)12312312312333(21)123456789012345678901", Gs1ErrorCode.FieldTooLong, "21")]
    [InlineData("(01)1231231231233", Gs1ErrorCode.FieldTooShort, "01")]
    [InlineData("(01)12312312312333(10)AB C", Gs1ErrorCode.BadCharacter, "10")]
    [InlineData("(01)12312312312333(10)", Gs1ErrorCode.FieldTooShort, "10")]
    [InlineData("(01)12312312312333(21)A(21)B", Gs1ErrorCode.DuplicateAi, "21")]
    [InlineData("(89)ABC", Gs1ErrorCode.UnknownAi, "89")]
    [InlineData("(3103)00019", Gs1ErrorCode.FieldTooShort, "3103")]
    public void Parse_RuleBreaks_RejectedWithCodeAndAi(string input, Gs1ErrorCode code, string ai)
    {
        var error = Reject(input);
        Assert.Equal(code, error.Code);
        Assert.Equal(ai, error.Ai);
    }

    [Theory]
    [InlineData("(01)12312312312333(10")]
    [InlineData("(01)12312312312333(")]
    [InlineData("(1)2")]
    [InlineData("(0A)12")]
    [InlineData("(12345)1")]
    public void Parse_MalformedBrackets_BadBracketedSyntax(string input)
    {
        Assert.Equal(Gs1ErrorCode.BadBracketedSyntax, Reject(input).Code);
    }

    [Fact]
    public void Parse_IdenticalDuplicate_Collapsed()
    {
        // gs1-syntax-engine dl.c test_dl_generateDLuri: "Duplicate AIs in element data" with equal values are accepted.
        Assert.Equal("(01)12312312312326(10)ABC123(99)XYZ789", Accept("(01)12312312312326(10)ABC123(10)ABC123(99)XYZ789").ToBracketed());
    }

    [Fact]
    public void Parse_LotOverTwentyWithoutSeparator_MissingSeparator()
    {
        // A scanner that drops FNC1: the lot swallows the serial and runs past 20 characters.
        var error = Reject("]d20112312312312333" + "10ABC12345678901234" + "21SERIAL123");

        Assert.Equal(Gs1ErrorCode.MissingSeparator, error.Code);
        Assert.Equal("10", error.Ai);
    }

    [Theory]
    [InlineData("]d20112312312312333" + "10L17270600", "17270600")] // could be lot "L" + expiry 2027-06-30
    [InlineData("]d20112312312312333" + "10LOT21SER", "21SER")] // could be lot "LOT" + serial "SER"
    [InlineData("]d20112312312312333" + "10L17271300", "71300")] // not (17): month 13; but (713) "00" is a valid NHRN
    public void Parse_SeparatorsMayBeMissingAndTailReadsAsAis_MissingSeparator(string input, string tail)
    {
        var options = new Gs1ParserOptions { SeparatorsMayBeMissing = true };

        var error = Reject(input, options);

        Assert.Equal(Gs1ErrorCode.MissingSeparator, error.Code);
        Assert.Contains($"'{tail}'", error.Message, StringComparison.Ordinal);
        Assert.True(Gs1Parser.Parse(input, Now).IsSuccess); // a scanner that sends FNC1 leaves no doubt
    }

    [Theory]
    [InlineData("]d20112312312312333" + "17270600" + "10ABC123", "(01)12312312312333(17)270600(10)ABC123")]
    [InlineData("]d20112312312312333" + "10L1727A", "(01)12312312312333(10)L1727A")] // (17) would need six digits
    public void Parse_SeparatorsMayBeMissingButOnlyOneReading_Accepted(string input, string bracketed)
    {
        var options = new Gs1ParserOptions { SeparatorsMayBeMissing = true };

        Assert.Equal(bracketed, Accept(input, options).ToBracketed());
    }

    [Fact]
    public void Parse_UnknownPredefinedLengthAi_SkippedAndReported()
    {
        // (3103) net weight and (12) due date are not in our table; Figure 7.8.4-2 gives their lengths.
        var scan = Accept("]d20112312312312333" + "3103000195" + "12261231" + "10ABC");

        Assert.Equal("(01)12312312312333(3103)000195(12)261231(10)ABC", scan.ToBracketed());
        Assert.Equal(["3103", "12"], scan.UnknownElements.Select(e => e.Ai));
        Assert.Equal("ABC", scan.Lot?.Value);
    }

    [Theory]
    [InlineData("]d2011231231231233389ABC", Gs1ErrorCode.UnknownAi)] // (89) has no length rule
    [InlineData("]d20112312312312333700312345", Gs1ErrorCode.UnknownAi)] // (7003) is not in our table
    [InlineData("]d201123123123", Gs1ErrorCode.FieldTooShort)]
    [InlineData("]d201123123123" + GS + "12333", Gs1ErrorCode.FieldTooShort)]
    [InlineData("]d20112312312312333AB", Gs1ErrorCode.BadCharacter)]
    [InlineData("]d201123123123123331", Gs1ErrorCode.FieldTooShort)]
    [InlineData("]d20112312312312333310", Gs1ErrorCode.FieldTooShort)]
    [InlineData("]d2" + GS + GS, Gs1ErrorCode.EmptyInput)]
    public void Parse_UnsplittableElementStrings_Rejected(string input, Gs1ErrorCode code)
    {
        Assert.Equal(code, Reject(input).Code);
    }

    [Fact]
    public void ToElementString_SeparatorsOnlyAfterVariableFields()
    {
        var scan = Accept("(01)12312312312333(10)ABC123(17)270600(21)XYZ");

        Assert.Equal("0112312312312333" + "10ABC123" + GS + "17270600" + "21XYZ", scan.ToElementString());
    }
}
