using Npgsql;
using NpgsqlTypes;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Hub.Devices;

/// <summary>Devices in PostgreSQL (table <c>devices</c>, <see cref="Storage.PostgresSchema"/>); hubs sharing the database see one registry.</summary>
internal sealed class PostgresDeviceRegistry(NpgsqlDataSource dataSource) : IDeviceRegistry
{
    private const string Columns =
        "id, public_key, site, role, password_hash, enrolled_at_ms, enrolled_index, revoked_at_ms, revoked_reason, revoked_index";

    public DeviceRecord? Find(DeviceId id)
    {
        using var command = dataSource.CreateCommand($"SELECT {Columns} FROM devices WHERE id = @id");
        command.Parameters.AddWithValue("id", id.Value);
        return Read(command).FirstOrDefault();
    }

    public IReadOnlyList<DeviceRecord> List()
    {
        using var command = dataSource.CreateCommand($"SELECT {Columns} FROM devices ORDER BY id COLLATE \"C\"");
        return Read(command);
    }

    public bool TryAdd(DeviceRecord record)
    {
        using var command = dataSource.CreateCommand(
            $"INSERT INTO devices ({Columns}) VALUES (@id, @key, @site, @role, @pw, @at, @index, @revokedAt, @reason, @revokedIndex) ON CONFLICT (id) DO NOTHING");
        command.Parameters.AddWithValue("id", record.Id.Value);
        command.Parameters.AddWithValue("key", record.PublicKey);
        command.Parameters.AddWithValue("site", record.Site.Value);
        command.Parameters.AddWithValue("role", DeviceRoles.Name(record.Role));
        command.Parameters.AddWithValue("pw", record.PasswordHash);
        command.Parameters.AddWithValue("at", record.EnrolledAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("index", record.EnrolledIndex);
        command.Parameters.AddWithValue("revokedAt", (object?)record.RevokedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("reason", (object?)record.RevokedReason ?? DBNull.Value);
        command.Parameters.AddWithValue("revokedIndex", (object?)record.RevokedIndex ?? DBNull.Value);
        return command.ExecuteNonQuery() == 1;
    }

    public bool TryRevoke(DeviceId id, DateTimeOffset at, string reason, long logIndex)
    {
        using var command = dataSource.CreateCommand(
            "UPDATE devices SET revoked_at_ms = @at, revoked_reason = @reason, revoked_index = @index WHERE id = @id AND revoked_at_ms IS NULL");
        command.Parameters.AddWithValue("id", id.Value);
        command.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("reason", reason);
        command.Parameters.AddWithValue("index", logIndex);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Copies <paramref name="records"/> in as they are, on <paramref name="connection"/> and its transaction (<c>storage migrate</c>).</summary>
    public static int Import(NpgsqlConnection connection, IEnumerable<DeviceRecord> records)
    {
        using var writer = connection.BeginBinaryImport($"COPY devices ({Columns}) FROM STDIN (FORMAT BINARY)");
        foreach (var record in records)
        {
            writer.StartRow();
            writer.Write(record.Id.Value, NpgsqlDbType.Text);
            writer.Write(record.PublicKey, NpgsqlDbType.Bytea);
            writer.Write(record.Site.Value, NpgsqlDbType.Text);
            writer.Write(DeviceRoles.Name(record.Role), NpgsqlDbType.Text);
            writer.Write(record.PasswordHash, NpgsqlDbType.Text);
            writer.Write(record.EnrolledAt.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint);
            writer.Write(record.EnrolledIndex, NpgsqlDbType.Bigint);
            WriteOrNull(writer, record.RevokedAt?.ToUnixTimeMilliseconds());
            if (record.RevokedReason is { } reason)
            {
                writer.Write(reason, NpgsqlDbType.Text);
            }
            else
            {
                writer.WriteNull();
            }

            WriteOrNull(writer, record.RevokedIndex);
        }

        return (int)writer.Complete();
    }

    private static void WriteOrNull(NpgsqlBinaryImporter writer, long? value)
    {
        if (value is { } number)
        {
            writer.Write(number, NpgsqlDbType.Bigint);
        }
        else
        {
            writer.WriteNull();
        }
    }

    private static List<DeviceRecord> Read(NpgsqlCommand command)
    {
        using var reader = command.ExecuteReader();
        var records = new List<DeviceRecord>();
        while (reader.Read())
        {
            // Only the hub writes the table, so a row that does not read back is a broken store, not bad input.
            if (!DeviceId.TryParse(reader.GetString(0), out var id, out var why)
                || !Gln.TryParse(reader.GetString(2), out var site, out why)
                || !DeviceRoles.TryParse(reader.GetString(3), out var role))
            {
                throw new InvalidDataException($"The device registry holds an unreadable record: {why}.");
            }

            var revoked = reader.IsDBNull(7) ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7));
            records.Add(new DeviceRecord(
                id,
                reader.GetFieldValue<byte[]>(1),
                site,
                role,
                reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.GetInt64(6),
                revoked,
                revoked is null ? null : reader.GetString(8),
                revoked is null ? null : reader.GetInt64(9)));
        }

        return records;
    }
}
