using System.ComponentModel.DataAnnotations;

namespace SupplyChain.Hub.Storage;

/// <summary>Where the hub keeps its log and state.</summary>
internal enum StorageBackend
{
    /// <summary>LiteDB files in <see cref="HubOptions.DataDirectory"/> (the embedded default).</summary>
    LiteDb,

    /// <summary>A PostgreSQL database (docs/OPERATIONS.md "PostgreSQL").</summary>
    Postgres,
}

/// <summary>The "Storage" configuration section: the backend and, for PostgreSQL, how to reach it.</summary>
internal sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public StorageBackend Backend { get; set; } = StorageBackend.LiteDb;

    /// <summary>Npgsql connection string, e.g. <c>Host=/run/postgresql;Database=coldtrace;Username=coldtrace</c>.</summary>
    public string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Backend == StorageBackend.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Storage:ConnectionString is required when Storage:Backend is Postgres.", [nameof(ConnectionString)]);
        }
    }
}
