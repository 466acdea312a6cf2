using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Contracts.Tests.Ledger;

// Known answers from the RFC 6962 reference test data (transparency-dev/merkle proof/verify_test.go:
// leaves "", 0x00, 0x10 and the roots of the trees of size 1 and 2).
public sealed class Rfc9162Tests
{
    [Fact]
    public void EmptyRoot_IsSha256OfTheEmptyString()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(Rfc9162.EmptyRoot));
    }

    [Fact]
    public void HashLeaf_EmptyLeaf_MatchesRootOfOneLeafTree()
    {
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Convert.ToHexStringLower(Rfc9162.HashLeaf([])));
    }

    [Fact]
    public void HashChildren_FirstTwoLeaves_MatchesRootOfTwoLeafTree()
    {
        var root = Rfc9162.HashChildren(Rfc9162.HashLeaf([]), Rfc9162.HashLeaf([0x00]));

        Assert.Equal("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", Convert.ToHexStringLower(root));
    }

    [Fact]
    public void HashLeaf_SpanOverload_WritesSameHashAsArrayOverload()
    {
        Span<byte> destination = stackalloc byte[Rfc9162.HashSize];

        Rfc9162.HashLeaf([0x10], destination);

        Assert.Equal(Rfc9162.HashLeaf([0x10]), destination.ToArray());
    }

    [Fact]
    public void HashChildren_DestinationOverlapsLeft_StillCorrect()
    {
        var left = Rfc9162.HashLeaf([]);
        var expected = Rfc9162.HashChildren(left, Rfc9162.HashLeaf([0x00]));

        Rfc9162.HashChildren(left, Rfc9162.HashLeaf([0x00]), left);

        Assert.Equal(expected, left);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(0)]
    public void HashChildren_WrongSizedChild_Throws(int size)
    {
        Assert.Throws<ArgumentException>(() => Rfc9162.HashChildren(new byte[size], new byte[Rfc9162.HashSize]));
        Assert.Throws<ArgumentException>(() => Rfc9162.HashChildren(new byte[Rfc9162.HashSize], new byte[size]));
    }

    [Fact]
    public void HashLeaf_WrongSizedDestination_Throws()
    {
        Assert.Throws<ArgumentException>(() => Rfc9162.HashLeaf([], new byte[Rfc9162.HashSize + 1]));
    }
}
