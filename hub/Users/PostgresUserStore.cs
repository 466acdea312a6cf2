using Npgsql;
using NpgsqlTypes;
using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Hub.Users;

/// <summary>Users in PostgreSQL (table <c>users</c>, <see cref="Storage.PostgresSchema"/>): token hashes only, unique.</summary>
internal sealed class PostgresUserStore(NpgsqlDataSource dataSource) : IUserStore
{
    private const string Columns = "name, role, token_hash, created_ms, revoked_at_ms, site";

    public UserRecord? Find(UserName name) => Query("WHERE name = @value", name.Value).FirstOrDefault();

    public UserRecord? FindByTokenHash(string tokenHash) => Query("WHERE token_hash = @value", tokenHash).FirstOrDefault();

    public IReadOnlyList<UserRecord> List() => Query("ORDER BY name COLLATE \"C\"", null);

    public bool TryAdd(UserRecord user)
    {
        using var command = dataSource.CreateCommand(
            $"INSERT INTO users ({Columns}) VALUES (@name, @role, @token, @created, @revoked, @site) ON CONFLICT (name) DO NOTHING");
        command.Parameters.AddWithValue("name", user.Name.Value);
        command.Parameters.AddWithValue("role", UserRoles.Name(user.Role));
        command.Parameters.AddWithValue("token", user.TokenHash);
        command.Parameters.AddWithValue("created", user.Created.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("revoked", (object?)user.RevokedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("site", (object?)user.Site?.Value ?? DBNull.Value);
        return command.ExecuteNonQuery() == 1;
    }

    public bool TryRevoke(UserName name, DateTimeOffset at)
    {
        using var command = dataSource.CreateCommand("UPDATE users SET revoked_at_ms = @at WHERE name = @name AND revoked_at_ms IS NULL");
        command.Parameters.AddWithValue("name", name.Value);
        command.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Copies <paramref name="users"/> in as they are, on <paramref name="connection"/> and its transaction (<c>storage migrate</c>).</summary>
    public static int Import(NpgsqlConnection connection, IEnumerable<UserRecord> users)
    {
        using var writer = connection.BeginBinaryImport($"COPY users ({Columns}) FROM STDIN (FORMAT BINARY)");
        foreach (var user in users)
        {
            writer.StartRow();
            writer.Write(user.Name.Value, NpgsqlDbType.Text);
            writer.Write(UserRoles.Name(user.Role), NpgsqlDbType.Text);
            writer.Write(user.TokenHash, NpgsqlDbType.Text);
            writer.Write(user.Created.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint);
            if (user.RevokedAt is { } revoked)
            {
                writer.Write(revoked.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint);
            }
            else
            {
                writer.WriteNull();
            }

            if (user.Site is { } site)
            {
                writer.Write(site.Value, NpgsqlDbType.Text);
            }
            else
            {
                writer.WriteNull();
            }
        }

        return (int)writer.Complete();
    }

    private List<UserRecord> Query(string clause, string? value)
    {
        using var command = dataSource.CreateCommand($"SELECT {Columns} FROM users {clause}");
        if (value is not null)
        {
            command.Parameters.AddWithValue("value", value);
        }

        using var reader = command.ExecuteReader();
        var users = new List<UserRecord>();
        while (reader.Read())
        {
            // Only the hub writes the table, so a row that does not read back is a broken store, not bad input.
            if (!UserName.TryParse(reader.GetString(0), out var name, out var why) || !UserRoles.TryParse(reader.GetString(1), out var role))
            {
                throw new InvalidDataException($"The user store holds an unreadable record: {why}.");
            }

            Gln? site = null;
            if (!reader.IsDBNull(5))
            {
                site = Gln.TryParse(reader.GetString(5), out var gln, out why)
                    ? gln
                    : throw new InvalidDataException($"The user store holds an unreadable site for {name}: {why}.");
            }

            users.Add(new UserRecord(
                name,
                role,
                reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                site));
        }

        return users;
    }
}
