using NSec.Cryptography;
using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Station;
using SupplyChain.Agent.Tests.Outbox;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Agent.Tests.Identity;

public sealed class DeviceIdentityTests
{
    [Fact]
    public void LoadOrCreate_FirstStart_KeyFileOwnerOnlyAndSeedSized()
    {
        using var directory = new TempDirectory();
        var data = Path.Combine(directory.Path, "data");

        using var identity = DeviceIdentity.LoadOrCreate(data, "dock-7");

        Assert.True(identity.Created);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(identity.KeyPath));
        Assert.Equal(DeviceSigner.SeedSize, new FileInfo(identity.KeyPath).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
    }

    [Fact]
    public void LoadOrCreate_SecondStart_SameKey()
    {
        using var directory = new TempDirectory();
        using var first = DeviceIdentity.LoadOrCreate(directory.Path, "dock-7");

        using var second = DeviceIdentity.LoadOrCreate(directory.Path, "dock-7");

        Assert.False(second.Created);
        Assert.Equal(first.KeyId, second.KeyId);
        Assert.Equal(first.PublicKeyBase64, second.PublicKeyBase64);
    }

    [Fact]
    public void TryLoad_NoKey_Null()
    {
        using var directory = new TempDirectory();

        Assert.Null(DeviceIdentity.TryLoad(directory.Path, "dock-7"));
        Assert.False(File.Exists(directory.File(DeviceIdentity.KeyFileName)));
    }

    [Fact]
    public void TryLoad_KeyReadableByGroup_Refused()
    {
        using var directory = new TempDirectory();
        DeviceIdentity.LoadOrCreate(directory.Path, "dock-7").Dispose();
        var path = directory.File(DeviceIdentity.KeyFileName);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var error = Assert.Throws<InvalidOperationException>(() => DeviceIdentity.TryLoad(directory.Path, "dock-7"));

        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_WrongLength_RefusedAndFileKept()
    {
        using var directory = new TempDirectory();
        var path = directory.File(DeviceIdentity.KeyFileName);
        File.WriteAllBytes(path, new byte[31]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Throws<InvalidOperationException>(() => DeviceIdentity.LoadOrCreate(directory.Path, "dock-7"));

        Assert.Equal(31, new FileInfo(path).Length);
    }

    [Fact]
    public void PublicKeyBase64_KnownSeed_MatchesRfc8032TestVector()
    {
        // RFC 8032 §7.1 TEST 1: secret key 9d61b19d…7f60 has public key d75a9801…511a.
        using var directory = new TempDirectory();
        var path = directory.File(DeviceIdentity.KeyFileName);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using (var stream = new FileStream(path, options))
        {
            stream.Write(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        }

        using var identity = DeviceIdentity.TryLoad(directory.Path, "dock-7")!;

        Assert.Equal(
            Convert.ToBase64String(Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")),
            identity.PublicKeyBase64);
        Assert.Equal(KeyId.Of(Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")), identity.KeyId);
    }

    [Fact]
    public void EnrolmentLine_Identity_ExactHubCommand()
    {
        using var directory = new TempDirectory();
        using var identity = DeviceIdentity.LoadOrCreate(directory.Path, "dock-7");

        var line = EnrolmentLine.For(identity, "9506000134383", StationRole.DockOut);

        Assert.Equal($"hub devices enroll --id dock-7 --key {identity.PublicKeyBase64} --site 9506000134383 --role warehouse", line);
        Assert.Equal(32, Convert.FromBase64String(identity.PublicKeyBase64).Length);
        Assert.Equal(identity.Signer.PublicKey.Export(KeyBlobFormat.RawPublicKey), Convert.FromBase64String(identity.PublicKeyBase64));
    }
}
