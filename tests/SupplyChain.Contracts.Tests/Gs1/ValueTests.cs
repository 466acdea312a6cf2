using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Tests.Gs1;

public sealed class ValueTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    // The known answer, gs1-syntax-engine scandata.c (12312312312333) and the GS1 Digital Link standard (09520123456788).
    [InlineData("12345678901231")]
    [InlineData("12312312312333")]
    [InlineData("09520123456788")]
    public void GtinTryParse_ValidCheckDigit_Accepted(string digits)
    {
        Assert.True(Gtin.TryParse(digits, out var gtin, out var reason), reason);
        Assert.Equal(digits, gtin.Value);
        Assert.Empty(reason);
    }

    [Fact]
    public void GtinTryParse_WrongCheckDigit_RejectedNamingTheRightOne()
    {
        Assert.False(Gtin.TryParse("12345678901232", out var gtin, out var reason));
        Assert.Equal(default, gtin);
        Assert.Contains("correct check digit is 1", reason, StringComparison.Ordinal);
    }

    [Theory]
    // gs1-syntax-engine scandata.c: ]E02112345678900 and ]E402345673 are valid EAN-13 / EAN-8; dl.c: GTIN-12 416000336108.
    [InlineData("2112345678900", "02112345678900")]
    [InlineData("02345673", "00000002345673")]
    [InlineData("416000336108", "00416000336108")]
    [InlineData("9520123456788", "09520123456788")]
    public void GtinTryParse_ShortGtin_NormalisedToFourteenDigits(string digits, string expected)
    {
        Assert.True(Gtin.TryParse(digits, out var gtin, out var reason), reason);
        Assert.Equal(expected, gtin.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234567")]
    [InlineData("123456789012345")]
    [InlineData("1234567890123A")]
    [InlineData("02112345678901")] // gs1-syntax-engine scandata.c: "]E02112345678901" bad check digit
    public void GtinTryParse_Malformed_Rejected(string digits)
    {
        Assert.False(Gtin.TryParse(digits, out _, out var reason));
        Assert.NotEmpty(reason);
    }

    [Theory]
    [InlineData("123456789012345675", true)]
    [InlineData("006141411234567890", true)] // gs1-syntax-engine dl.c: https://a/00/006141411234567890
    [InlineData("952012345678912345", true)] // GS1 Digital Link standard example via dl.c
    [InlineData("123456789012345676", false)]
    [InlineData("12345678901234567", false)]
    public void SsccTryParse_CheckDigitAndLength_Enforced(string digits, bool valid)
    {
        Assert.Equal(valid, Sscc.TryParse(digits, out var sscc, out _));
        Assert.Equal(valid ? digits : "000000000000000000", sscc.Value);
    }

    [Theory]
    [InlineData("9520123456788", true)] // GS1 Digital Link standard example /414/9520123456788 via dl.c
    [InlineData("9520123456787", false)]
    [InlineData("952012345678", false)]
    public void GlnTryParse_CheckDigitAndLength_Enforced(string digits, bool valid)
    {
        Assert.Equal(valid, Gln.TryParse(digits, out _, out _));
    }

    [Theory]
    [InlineData("ABC123", true)]
    [InlineData("!\"%&'()*+,-./:;<=>?_az09", false)] // 24 characters: all legal, but too long
    [InlineData("!\"%&'()*+,-./:;<=>?_", true)]
    [InlineData("12345678901234567890", true)]
    [InlineData("123456789012345678901", false)]
    [InlineData("", false)]
    [InlineData("AB C", false)]
    [InlineData("AB#C", false)]
    [InlineData("ABÄ", false)]
    public void SerialAndLotTryParse_Set82UpToTwenty_Enforced(string text, bool valid)
    {
        Assert.Equal(valid, Serial.TryParse(text, out _, out _));
        Assert.Equal(valid, Lot.TryParse(text, out _, out _));
    }

    [Theory]
    [InlineData("ASSET-0001", true)]
    [InlineData("123456789012345678901234567890", true)]
    [InlineData("1234567890123456789012345678901", false)]
    [InlineData("", false)]
    public void GiaiTryParse_UpToThirtyCharacters_Enforced(string text, bool valid)
    {
        Assert.Equal(valid, Giai.TryParse(text, out _, out _));
    }

    [Theory]
    // gs1-syntax-engine src/c-lib/syntax/lint_yymmd0.c passes (and the known answers).
    [InlineData("200600", 2020, 6, 30)]
    [InlineData("240229", 2024, 2, 29)]
    [InlineData("200229", 2020, 2, 29)]
    [InlineData("000229", 2000, 2, 29)]
    [InlineData("960229", 1996, 2, 29)]
    [InlineData("201231", 2020, 12, 31)]
    [InlineData("210228", 2021, 2, 28)]
    public void ExpiryTryParse_RealDates_Resolved(string text, int year, int month, int day)
    {
        Assert.True(Expiry.TryParse(text, Now, out var expiry, out var reason), reason);
        Assert.Equal(new DateOnly(year, month, day), expiry.Date);
        Assert.Equal(text, expiry.Text);
        Assert.Equal(text.EndsWith("00", StringComparison.Ordinal), expiry.DayUnspecified);
    }

    [Theory]
    // gs1-syntax-engine src/c-lib/syntax/lint_yymmd0.c failures (and the known answers).
    [InlineData("210229")]
    [InlineData("200230")]
    [InlineData("200010")]
    [InlineData("201310")]
    [InlineData("200132")]
    [InlineData("200431")]
    [InlineData("040230")]
    [InlineData("x00131")]
    [InlineData("20013")]
    [InlineData("2001311")]
    public void ExpiryTryParse_ImpossibleDates_Rejected(string text)
    {
        Assert.False(Expiry.TryParse(text, Now, out _, out var reason));
        Assert.NotEmpty(reason);
    }

    [Theory]
    // GS1 GenSpecs §7.12: −49..+50 years around the current year.
    [InlineData(2026, 76, 2076)]
    [InlineData(2026, 77, 1977)]
    [InlineData(2026, 99, 1999)]
    [InlineData(2026, 0, 2000)]
    [InlineData(2090, 40, 2140)]
    [InlineData(2090, 41, 2041)]
    [InlineData(2001, 51, 2051)]
    [InlineData(2001, 52, 1952)]
    public void CenturyWindow_GenSpecs712_PicksTheCentury(int currentYear, int yy, int expected)
    {
        Assert.Equal(expected, Expiry.CenturyWindow(yy, currentYear));
    }

    [Theory]
    // The bodies of the known-valid GTIN 12345678901231, SSCC 123456789012345675 and GLN 9520123456788 above.
    [InlineData("1234567890123", '1')]
    [InlineData("12345678901234567", '5')]
    [InlineData("952012345678", '8')]
    public void CheckDigitTryCompute_KnownNumbers_MatchesGs1(string digits, char expected)
    {
        Assert.True(Gs1CheckDigit.TryCompute(digits, out var check));
        Assert.Equal(expected, check);
    }
}
