using System.Text;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Tests.Signing;

public sealed class PaeTests
{
    [Fact]
    public void Encode_DsseSpecExample_MatchesProtocolMd()
    {
        // secure-systems-lab/dsse protocol.md, "Test Vectors".
        var pae = Pae.Encode("http://example.com/HelloWorld", "hello world"u8);

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.ASCII.GetString(pae));
    }

    [Fact]
    public void Encode_EmptyTypeAndBody_WritesZeroLengths()
    {
        Assert.Equal("DSSEv1 0  0 ", Encoding.ASCII.GetString(Pae.Encode("", [])));
    }

    [Fact]
    public void Encode_MultiByteType_CountsBytesNotChars()
    {
        Assert.Equal("DSSEv1 2 é 1 x", Encoding.UTF8.GetString(Pae.Encode("é", "x"u8)));
    }
}
