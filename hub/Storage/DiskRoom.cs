namespace SupplyChain.Hub.Storage;

/// <summary>
/// The free-space check a LiteDB store makes before it writes (docs/RELIABILITY.md "Disk full and corrupt stores"). LiteDB
/// 5.0.20 must not meet ENOSPC: a log write that fails in its background writer can leave the committing thread waiting in
/// <c>Checkpoint</c> for ever, and otherwise leaves the engine answering every call with an error. Below the minimum the
/// write is refused with an <see cref="IOException"/> before LiteDB is touched, which ingest answers as
/// <c>hub_unavailable</c>: the device keeps the event and sends it again.
/// </summary>
internal static class DiskRoom
{
    /// <summary>Room for LiteDB to replay its log and commit a batch: 256 KiB, as the agent's <c>Outbox:MinFreeBytes</c>.</summary>
    public const long DefaultMinFreeBytes = 256 * 1024;

    /// <summary>The reason code the refusal's message starts with.</summary>
    public const string DiskFullCode = "disk_full";

    /// <exception cref="IOException">Less than <paramref name="minFreeBytes"/> are free where <paramref name="path"/> lies.</exception>
    public static void Ensure(string path, long minFreeBytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var free = new DriveInfo(directory).AvailableFreeSpace;
        if (free < minFreeBytes)
        {
            throw new IOException(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{DiskFullCode}: {free / 1024} KiB free in {directory}, below {minFreeBytes / 1024} KiB; {Path.GetFileName(path)} takes no writes"));
        }
    }

    /// <summary>What a broken or full disk throws through LiteDB: the I/O error, or LiteDB's own error or disposed engine after it.</summary>
    public static bool IsStorageFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or LiteDB.LiteException or ObjectDisposedException;
}
