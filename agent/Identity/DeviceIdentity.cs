using NSec.Cryptography;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Agent.Identity;

/// <summary>
/// The station's Ed25519 signing key (DESIGN.md §2 "Envelopes", PROTOCOL.md §3.4), kept as its 32-byte RFC 8032 seed in
/// <c>{DataDirectory}/device.key</c>, owner read/write only (0600). Created on first start; never overwritten, never logged.
/// </summary>
internal sealed class DeviceIdentity : IDisposable
{
    public const string KeyFileName = "device.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private DeviceIdentity(string deviceId, DeviceSigner signer, string keyPath, bool created)
    {
        DeviceId = deviceId;
        Signer = signer;
        KeyPath = keyPath;
        Created = created;
    }

    public string DeviceId { get; }

    public DeviceSigner Signer { get; }

    public string KeyPath { get; }

    /// <summary>True when this call made the key (first start or <c>keygen</c>).</summary>
    public bool Created { get; }

    public KeyId KeyId => Signer.KeyId;

    /// <summary>The raw 32-byte public key in base64, as the hub's enrolment command takes it.</summary>
    public string PublicKeyBase64 => Convert.ToBase64String(Signer.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    /// <summary>Loads the key, creating it (and the data directory, 0700) when there is none yet.</summary>
    /// <exception cref="InvalidOperationException">The key file exists but is unusable or readable by others.</exception>
    public static DeviceIdentity LoadOrCreate(string dataDirectory, string deviceId) =>
        TryLoad(dataDirectory, deviceId) ?? Create(dataDirectory, deviceId);

    /// <summary>Loads the key, or returns null when none has been made yet.</summary>
    /// <exception cref="InvalidOperationException">The key file exists but is unusable or readable by others.</exception>
    public static DeviceIdentity? TryLoad(string dataDirectory, string deviceId)
    {
        var path = Path.Combine(dataDirectory, KeyFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            throw new InvalidOperationException(
                $"{path} is accessible to other users (mode {Convert.ToString((int)mode, 8)}); run 'chmod 600 {path}' after checking who read it.");
        }

        var seed = File.ReadAllBytes(path);
        try
        {
            if (seed.Length != DeviceSigner.SeedSize)
            {
                throw new InvalidOperationException(
                    $"{path} holds {seed.Length} bytes, not a {DeviceSigner.SeedSize}-byte Ed25519 seed; it is left as it is.");
            }

            return new DeviceIdentity(deviceId, DeviceSigner.FromSeed(seed), path, created: false);
        }
        finally
        {
            Array.Clear(seed);
        }
    }

    public void Dispose() => Signer.Dispose();

    private static DeviceIdentity Create(string dataDirectory, string deviceId)
    {
        Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(dataDirectory, KeyFileName);
        var temporary = path + ".new";
        File.Delete(temporary);
        var signer = DeviceSigner.Create();
        var seed = signer.ExportSeed();
        try
        {
            // Created 0600 from the first byte: the mode is set by open(2), not by a chmod afterwards.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(seed);
                stream.Flush(flushToDisk: true);
            }

            // Never replaces a key another process made meanwhile: that one may already be enrolled.
            File.Move(temporary, path, overwrite: false);
        }
        catch
        {
            signer.Dispose();
            File.Delete(temporary);
            throw;
        }
        finally
        {
            Array.Clear(seed);
        }

        return new DeviceIdentity(deviceId, signer, path, created: true);
    }
}
