using LiteDB;

namespace SupplyChain.Hub;

/// <summary>
/// A LiteDB file that one process writes at a time. LiteDB does not keep a second process out of its file, so this holds
/// an exclusive lock on <c>{path}.lock</c> while the database is open: the running hub and the <c>devices</c> or
/// <c>users</c> command never write the same file at once.
/// </summary>
internal sealed class ExclusiveLiteDatabase : IDisposable
{
    private readonly FileStream _lock;

    /// <exception cref="IOException">Another process (or store) holds the lock.</exception>
    public ExclusiveLiteDatabase(string path)
    {
        // FileShare.None is an exclusive flock(2) on Linux, released by the kernel if the process dies.
        _lock = new FileStream(path + ".lock", new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        try
        {
            Database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    public LiteDatabase Database { get; }

    public void Dispose()
    {
        Database.Dispose();
        _lock.Dispose();
    }
}
