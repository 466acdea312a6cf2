using LiteDB;
using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Hub.Users;

/// <summary>
/// Users in their own LiteDB file (<c>users.db</c> in the data directory), collection <c>users</c> with <c>_id</c> = name
/// and a unique index on the token hash. Opened through <see cref="ExclusiveLiteDatabase"/>, so the running hub and the
/// <c>users</c> command never write the file at the same time.
/// </summary>
internal sealed class LiteDbUserStore : IUserStore, IDisposable
{
    public const string FileName = "users.db";

    private readonly ExclusiveLiteDatabase _file;
    private readonly ILiteCollection<BsonDocument> _users;
    private readonly Lock _writeLock = new();

    /// <exception cref="IOException">Another process (or store) holds the lock.</exception>
    public LiteDbUserStore(string path)
    {
        _file = new ExclusiveLiteDatabase(path);
        try
        {
            _users = _file.Database.GetCollection("users");
            _users.EnsureIndex("token", unique: true);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    public UserRecord? Find(UserName name) => _users.FindById(name.Value) is { } document ? FromDocument(document) : null;

    public UserRecord? FindByTokenHash(string tokenHash) =>
        _users.FindOne(Query.EQ("token", tokenHash)) is { } document ? FromDocument(document) : null;

    public IReadOnlyList<UserRecord> List() => [.. _users.FindAll().Select(FromDocument).OrderBy(u => u.Name.Value, StringComparer.Ordinal)];

    public bool TryAdd(UserRecord user)
    {
        lock (_writeLock)
        {
            if (_users.FindById(user.Name.Value) is not null)
            {
                return false;
            }

            _users.Insert(ToDocument(user));
            return true;
        }
    }

    public bool TryRevoke(UserName name, DateTimeOffset at)
    {
        lock (_writeLock)
        {
            if (Find(name) is not { IsActive: true } user)
            {
                return false;
            }

            return _users.Update(ToDocument(user with { RevokedAt = at }));
        }
    }

    public void Dispose() => _file.Dispose();

    private static BsonDocument ToDocument(UserRecord user)
    {
        var document = new BsonDocument
        {
            ["_id"] = user.Name.Value,
            ["role"] = UserRoles.Name(user.Role),
            ["token"] = user.TokenHash,
            ["created"] = user.Created.ToUnixTimeMilliseconds(),
        };
        if (user.Site is { } site)
        {
            document["site"] = site.Value;
        }

        if (user.RevokedAt is { } revoked)
        {
            document["revokedAt"] = revoked.ToUnixTimeMilliseconds();
        }

        return document;
    }

    private static UserRecord FromDocument(BsonDocument document)
    {
        // Only this class writes the file, so a record that does not read back is a broken store, not bad input.
        if (!UserName.TryParse(document["_id"].AsString, out var name, out var why) || !UserRoles.TryParse(document["role"].AsString, out var role))
        {
            throw new InvalidDataException($"The user store holds an unreadable record: {why}.");
        }

        Gln? site = null;
        if (document.TryGetValue("site", out var siteValue))
        {
            site = Gln.TryParse(siteValue.AsString, out var gln, out why)
                ? gln
                : throw new InvalidDataException($"The user store holds an unreadable site for {name}: {why}.");
        }

        return new UserRecord(
            name,
            role,
            document["token"].AsString,
            DateTimeOffset.FromUnixTimeMilliseconds(document["created"].AsInt64),
            document.TryGetValue("revokedAt", out var at) ? DateTimeOffset.FromUnixTimeMilliseconds(at.AsInt64) : null,
            site);
    }
}
