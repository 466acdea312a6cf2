using System.Security.Cryptography;
using System.Text;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Tests.Devices;

public sealed class DevicePasswordTests
{
    [Fact]
    public void Hash_ThenVerify_OnlyTheSamePasswordMatches()
    {
        var stored = DevicePassword.Hash("correct horse battery staple");

        Assert.True(DevicePassword.Verify(Encoding.UTF8.GetBytes("correct horse battery staple"), stored));
        Assert.False(DevicePassword.Verify(Encoding.UTF8.GetBytes("correct horse battery stapl"), stored));
        Assert.DoesNotContain("horse", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_SamePasswordTwice_DifferentSalts()
    {
        Assert.NotEqual(DevicePassword.Hash("same password here"), DevicePassword.Hash("same password here"));
    }

    [Fact]
    public void Verify_Rfc7914Pbkdf2Sha256Vector_Matches()
    {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1, dkLen = 64.
        var expected = Convert.FromHexString(
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
        var stored = $"pbkdf2-sha256$1${Convert.ToBase64String("salt"u8)}${Convert.ToBase64String(expected)}";

        Assert.True(DevicePassword.Verify("passwd"u8, stored));
        Assert.Equal(expected, Rfc2898DeriveBytes.Pbkdf2("passwd"u8, "salt"u8, 1, HashAlgorithmName.SHA256, 64));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha1$1$c2FsdA==$AAAA")]
    [InlineData("pbkdf2-sha256$0$c2FsdA==$AAAA")]
    [InlineData("pbkdf2-sha256$x$c2FsdA==$AAAA")]
    public void Verify_UnknownFormat_False(string stored) => Assert.False(DevicePassword.Verify("passwd"u8, stored));

    [Fact]
    public void Generate_IsLongAndRandom()
    {
        var one = DevicePassword.Generate();

        Assert.Equal(32, one.Length);
        Assert.True(one.Length >= DevicePassword.MinLength);
        Assert.NotEqual(one, DevicePassword.Generate());
    }
}
