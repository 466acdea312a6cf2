using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Tests.Gs1;

public sealed class DigitalLinkTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    // gs1/gs1-syntax-engine src/c-lib/dl.c test_dl_parseDLuri: accepted URIs and the AIs they carry.
    [InlineData("http://a/00/006141411234567890", "(00)006141411234567890")]
    [InlineData("HTTPS://a/00/006141411234567890", "(00)006141411234567890")]
    [InlineData("https://a/01/12312312312333", "(01)12312312312333")]
    [InlineData("https://a:65535/01/12312312312333", "(01)12312312312333")]
    [InlineData("https://[2001:db8::1]/01/12312312312333", "(01)12312312312333")]
    [InlineData("https://a/more/stem/00/006141411234567890", "(00)006141411234567890")]
    [InlineData("https://a/00/faux/00/006141411234567890", "(00)006141411234567890")]
    [InlineData("https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ", "(01)12312312312333(22)TEST(10)ABC(21)XYZ")]
    [InlineData("https://a/stem/00/006141411234567890?", "(00)006141411234567890")]
    [InlineData("https://a/stem/00/006141411234567890?99=ABC", "(00)006141411234567890(99)ABC")]
    [InlineData("https://a/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&", "(01)12312312312333(99)ABC(98)XYZ")]
    [InlineData("https://a/01/12312312312333?singleton1&unknown1=555&99=ABC&singleton2&unknown2=6666&98=XYZ&unknown3=777&singleton3", "(01)12312312312333(99)ABC(98)XYZ")]
    [InlineData("https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987", "(01)12312312312333(22)ABC-123(99)ABC(98)XYZ/987")]
    [InlineData("https://a/01/12312312312333/22/ABC+123?99=ABC&98=XYZ%2f987", "(01)12312312312333(22)ABC+123(99)ABC(98)XYZ/987")]
    [InlineData("https://a/01/12312312312333/22/test/10/abc/21/xyz#fragment", "(01)12312312312333(22)test(10)abc(21)xyz")]
    [InlineData("https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426", "(01)09520123456788(10)ABC1(21)12345(17)180426")]
    [InlineData("https://id.gs1.org/01/09520123456788?3103=000195", "(01)09520123456788(3103)000195")]
    [InlineData("https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123", "(00)952012345678912345(02)09520123456788(37)25(10)ABC123")]
    [InlineData("https://id.gs1.org/414/9520123456788", "(414)9520123456788")]
    [InlineData("https://id.gs1.org/414/9520123456788/254/32a%2Fb", "(414)9520123456788(254)32a/b")]
    public void Parse_Gs1SyntaxEngineUris_Accepted(string uri, string bracketed)
    {
        var result = Gs1DigitalLink.Parse(uri, Now);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(bracketed, result.Value.ToBracketed());
        Assert.Equal(Gs1SyntaxForm.DigitalLink, result.Value.Form);
    }

    [Theory]
    // gs1/gs1-syntax-engine src/c-lib/dl.c test_dl_parseDLuri: rejected URIs.
    [InlineData("", Gs1ErrorCode.EmptyInput)]
    [InlineData("ftp://", Gs1ErrorCode.InvalidDigitalLink)]
    [InlineData("http://", Gs1ErrorCode.InvalidDigitalLink)]
    [InlineData("http:///", Gs1ErrorCode.InvalidDigitalLink)]
    [InlineData("http://a", Gs1ErrorCode.InvalidDigitalLink)]
    [InlineData("http://a/", Gs1ErrorCode.NoPrimaryKey)]
    [InlineData("http://a/b", Gs1ErrorCode.NoPrimaryKey)]
    [InlineData("https://[fe80::1%25lo]/01/12312312312333", Gs1ErrorCode.InvalidDigitalLink)]
    [InlineData("https://$a/006141411234567890", Gs1ErrorCode.InvalidDigitalLink)]
    [InlineData("https://a/01/2112345678900", Gs1ErrorCode.FieldTooShort)]
    [InlineData("https://a/stem/00/006141411234567890/", Gs1ErrorCode.InvalidDigitalLink)]
    [InlineData("https://a/01/12312312312333?99=", Gs1ErrorCode.FieldTooShort)]
    [InlineData("https://a/01/12312312312333?99=ABC&999=faux", Gs1ErrorCode.UnknownAi)]
    [InlineData("https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987", Gs1ErrorCode.BadCharacter)]
    [InlineData("https://example.com/01/09520123456788?10=ABC123", Gs1ErrorCode.InvalidDigitalLink)]
    [InlineData("https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788", Gs1ErrorCode.DuplicateAi)]
    [InlineData("https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123", Gs1ErrorCode.InvalidDigitalLink)]
    [InlineData("https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789", Gs1ErrorCode.DuplicateAi)]
    [InlineData("https://example.com/01/09520123456788/89/ABC123?99=XYZ", Gs1ErrorCode.InvalidDigitalLink)]
    [InlineData("https://example.com/01/09520123456788?99=XYZ&89=ABC123", Gs1ErrorCode.UnknownAi)]
    public void Parse_Gs1SyntaxEngineBadUris_Rejected(string uri, Gs1ErrorCode code)
    {
        var result = Gs1DigitalLink.Parse(uri, Now);

        Assert.False(result.IsSuccess, $"accepted as {result.Value}");
        Assert.Equal(code, result.Error.Code);
    }

    [Theory]
    // gs1/gs1-syntax-engine src/c-lib/dl.c test_dl_parseDLuri with setPermitZeroSuppressedGTINinDLuris(true).
    [InlineData("https://a/01/2112345678900", "(01)02112345678900")]
    [InlineData("https://a/01/416000336108", "(01)00416000336108")]
    [InlineData("https://a/01/02345673", "(01)00000002345673")]
    [InlineData("https://brand.example.com/some-extra/pathinfo/01/9520123456788", "(01)09520123456788")]
    public void Parse_ZeroSuppressedGtinWhenAllowed_PaddedToFourteen(string uri, string bracketed)
    {
        var result = Gs1DigitalLink.Parse(uri, Now, new Gs1ParserOptions { AllowZeroSuppressedGtinInDigitalLink = true });

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(bracketed, result.Value.ToBracketed());
    }

    [Theory]
    // gs1/gs1-syntax-engine src/c-lib/dl.c test_dl_generateDLuri (and the known answer, the (21)XYZ line).
    [InlineData("(01)12312312312326(21)abc123", "https://example.com/01/12312312312326/21/abc123")]
    [InlineData("(01)12312312312326(22)ABC(10)DEF(21)GHI", "https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI")]
    [InlineData("(01)12312312312326(22)ABC(10)DEF(21)GHI(95)INT", "https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI?95=INT")]
    [InlineData("(21)XYZ(01)12312312312333(10)ABC123(99)XYZ", "https://example.com/01/12312312312333/10/ABC123/21/XYZ?99=XYZ")]
    [InlineData("(01)12312312312333(10)ABC+123(99)XYZ+QWERTY", "https://example.com/01/12312312312333/10/ABC%2B123?99=XYZ%2BQWERTY")]
    [InlineData("(01)12312312312326(01)12312312312326(10)ABC123(99)XYZ789", "https://example.com/01/12312312312326/10/ABC123?99=XYZ789")]
    [InlineData("(01)12312312312326(10)ABC123(99)XYZ789(99)XYZ789", "https://example.com/01/12312312312326/10/ABC123?99=XYZ789")]
    public void ToDigitalLink_Gs1SyntaxEngineData_CanonicalUri(string bracketed, string expected)
    {
        var scan = Gs1Parser.Parse(bracketed, Now);
        Assert.True(scan.IsSuccess, scan.Error?.ToString());

        var uri = scan.Value.ToDigitalLink("https://example.com");

        Assert.True(uri.IsSuccess, uri.Error?.ToString());
        Assert.Equal(expected, uri.Value);
    }

    [Fact]
    public void ToDigitalLink_Gs1DigitalLinkToolkitReadmeExample_Matches()
    {
        // gs1/GS1DigitalLinkToolkit.js README, gs1ElementStringsToGS1DigitalLink without brackets and short text.
        var scan = Gs1Parser.Parse("3103000189010541234500001339232172\u001D10ABC&+123", Now);
        Assert.True(scan.IsSuccess, scan.Error?.ToString());

        Assert.Equal(
            "https://id.gs1.org/01/05412345000013/10/ABC%26%2B123?3103=000189&3923=2172",
            scan.Value.ToDigitalLink("https://id.gs1.org").Value);
        Assert.Equal(["3103"], scan.Value.UnknownElements.Select(e => e.Ai));
    }

    [Fact]
    public void ToDigitalLink_OtherPrimaryKeys_InPath()
    {
        Assert.Equal("https://id.gs1.org/00/123456789012345675?403=ROUTE%2F7", Format("(00)123456789012345675(403)ROUTE/7"));
        Assert.Equal("https://id.gs1.org/414/9520123456788/254/A1", Format("(254)A1(414)9520123456788"));
        Assert.Equal("https://id.gs1.org/8004/FRIDGE-7", Format("(8004)FRIDGE-7"));

        static string Format(string bracketed) =>
            Gs1Parser.Parse(bracketed, Now).Value!.ToDigitalLink("https://id.gs1.org/").Value!;
    }

    [Fact]
    public void ToDigitalLink_StemKept()
    {
        var scan = Gs1Parser.Parse("(01)12312312312333(21)S1", Now).Value!;

        Assert.Equal("https://example.com/products/01/12312312312333/21/S1", scan.ToDigitalLink("https://example.com/products").Value);
    }

    [Theory]
    [InlineData("ftp://example.com")]
    [InlineData("example.com")]
    [InlineData("https://example.com/?a=b")]
    public void ToDigitalLink_BadBase_Rejected(string baseUri)
    {
        var scan = Gs1Parser.Parse("(01)12312312312333", Now).Value!;

        Assert.Equal(Gs1ErrorCode.InvalidDigitalLink, scan.ToDigitalLink(baseUri).Error?.Code);
    }

    [Fact]
    public void ToDigitalLink_NoPrimaryKey_Rejected()
    {
        var scan = Gs1Parser.Parse("(99)ONLY-INTERNAL", Now).Value!;

        Assert.Equal(Gs1ErrorCode.NoPrimaryKey, scan.ToDigitalLink("https://example.com").Error?.Code);
    }
}
