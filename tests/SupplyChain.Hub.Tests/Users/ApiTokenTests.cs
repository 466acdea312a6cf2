using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Tests.Users;

public sealed class ApiTokenTests
{
    [Fact]
    public void Generate_Twice_PrefixedBase64UrlOf32BytesAndDifferent()
    {
        var first = ApiToken.Generate();
        var second = ApiToken.Generate();

        Assert.StartsWith("ct_", first, StringComparison.Ordinal);
        Assert.Equal(ApiToken.Length, first.Length);
        Assert.True(ApiToken.IsWellFormed(first));
        Assert.NotEqual(first, second);
        var bytes = Convert.FromBase64String(first[3..].Replace('-', '+').Replace('_', '/') + "=");
        Assert.Equal(32, bytes.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ct_")]
    [InlineData("xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("ct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void IsWellFormed_WrongShape_False(string token) => Assert.False(ApiToken.IsWellFormed(token));

    [Fact]
    public void Hash_KnownAnswer_FipsSha256OfAbc()
    {
        // FIPS 180-2 Appendix B.1: SHA-256("abc").
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiToken.Hash("abc"));
    }

    [Theory]
    [InlineData("anna.quality", true)]
    [InlineData("bob@pharmacy-7", true)]
    [InlineData("", false)]
    [InlineData("anna quality", false)]
    [InlineData("ann\u00e9", false)]
    [InlineData("a\"b", false)]
    public void UserName_TryParse_AllowedCharactersOnly(string text, bool valid) =>
        Assert.Equal(valid, UserName.TryParse(text, out _, out _));
}
