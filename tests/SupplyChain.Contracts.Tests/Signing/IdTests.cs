using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Tests.Signing;

public sealed class IdTests
{
    [Fact]
    public void EventIdTryParse_LowercaseHex_RoundTrips()
    {
        const string text = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

        Assert.True(EventId.TryParse(text, out var id, out var error));
        Assert.Equal(HexIdError.None, error);
        Assert.Equal(text, id.ToString());
        Assert.Equal(EventId.Compute("abc"u8), id);
    }

    [Theory]
    [InlineData(null, HexIdError.WrongLength)]
    [InlineData("", HexIdError.WrongLength)]
    [InlineData("ba7816bf", HexIdError.WrongLength)]
    [InlineData("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", HexIdError.NotLowercaseHex)]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ag", HexIdError.NotLowercaseHex)]
    public void EventIdTryParse_Invalid_GivesReason(string? text, HexIdError expected)
    {
        Assert.False(EventId.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void EventIdNone_IsAllZeroAndEqualsParsedZeros()
    {
        Assert.True(EventId.TryParse(new string('0', 64), out var zeros, out _));

        Assert.True(EventId.None.IsNone);
        Assert.Equal(EventId.None, zeros);
        Assert.Equal(new string('0', 64), EventId.None.ToString());
        Assert.False(EventId.Compute([]).IsNone);
    }

    [Fact]
    public void KeyIdTryParse_UppercaseHex_IsRejected()
    {
        Assert.False(KeyId.TryParse(new string('A', 64), out _, out var error));
        Assert.Equal(HexIdError.NotLowercaseHex, error);
    }

    [Fact]
    public void KeyIdFromBytes_StoredBytes_EqualsTheParsedAndComputedId()
    {
        // SHA-256("abc") (FIPS 180-2 appendix B.1) standing in for a stored key id.
        const string text = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

        var id = KeyId.FromBytes(Convert.FromHexString(text));

        Assert.True(KeyId.TryParse(text, out var parsed, out _));
        Assert.Equal(parsed, id);
        Assert.Equal(text, id.ToString());
        Assert.Throws<ArgumentException>(() => KeyId.FromBytes(new byte[31]));
    }
}
