using System.CommandLine;
using System.Globalization;

namespace SupplyChain.Hub.Storage;

/// <summary>
/// <c>storage migrate</c>: copy a stopped LiteDB hub's data directory into an empty PostgreSQL database and verify the
/// copy (<see cref="StorageMigration"/>). Exit 0 when the copy verified, 1 when it did not (nothing is left behind), 2
/// when it was refused before copying (no hub there, the hub still running, a target that is not empty, no database).
/// </summary>
internal static class StorageCommand
{
    public static Command Create(TimeProvider time)
    {
        var data = new Option<string>("--data") { Description = "The LiteDB hub's data directory (stop the hub first).", DefaultValueFactory = _ => new HubOptions().DataDirectory };
        var postgres = new Option<string>("--postgres")
        {
            Description = "Npgsql connection string of the new, empty PostgreSQL database (the hub's future Storage:ConnectionString).",
            Required = true,
        };
        var migrate = new Command("migrate", "Copy a stopped LiteDB hub into an empty PostgreSQL database, then verify the root, the counts and the audit.") { data, postgres };
        migrate.SetAction((result, cancellationToken) => Task.FromResult(Run(result, result.GetValue(data)!, result.GetValue(postgres)!, time, cancellationToken)));
        return new Command("storage", "Move the hub's storage between backends.") { migrate };
    }

    private static int Run(ParseResult result, string dataDirectory, string connectionString, TimeProvider time, CancellationToken cancellationToken)
    {
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        var directory = Path.GetFullPath(dataDirectory);
        using var source = LiteDbHubFiles.TryOpen(directory, out var reason);
        if (source is null)
        {
            error.WriteLine($"error: {reason}.");
            return 2;
        }

        Npgsql.NpgsqlDataSource target;
        try
        {
            target = PostgresOption.Open(connectionString);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or ArgumentException or InvalidOperationException)
        {
            error.WriteLine($"error: cannot open the PostgreSQL database ({exception.Message}).");
            return 2;
        }

        using (target)
        {
            output.WriteLine($"migrating the LiteDB hub in {directory} (log origin '{source.Origin}') to PostgreSQL schema version {PostgresSchema.Version}");
            MigrationResult outcome;
            try
            {
                outcome = new StorageMigration(output, time).Run(source, target, cancellationToken);
            }
            catch (Exception exception) when (exception is not (OutOfMemoryException or OperationCanceledException))
            {
                // The process boundary: a source page that does not read, or the database gone mid-copy. The copy's
                // transaction rolled back with the exception, so the target is as empty as it was.
                error.WriteLine($"error: the migration stopped ({exception.GetType().Name}: {exception.Message}); nothing was committed.");
                return 1;
            }

            if (!outcome.Succeeded)
            {
                error.WriteLine($"error: {outcome.Error}.");
                return outcome.ExitCode;
            }

            var counts = outcome.Counts!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"OK: {counts.Entries:N0} entries, checkpoint size {outcome.Checkpoint?.Size ?? 0:N0}, {counts.Devices} devices, {counts.Users} users, {counts.ChainHeads} chain heads in {outcome.Elapsed.TotalSeconds:F1} s."));
            output.WriteLine($"Start the hub with --Storage:Backend=Postgres, that connection string, and --Hub:DataDirectory={directory} (it still holds hub.key and the web sign-in keys).");
            return 0;
        }
    }
}
