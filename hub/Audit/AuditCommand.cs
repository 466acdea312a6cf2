using System.CommandLine;
using Spectre.Console;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Audit;

/// <summary><c>log audit</c>: re-derive the stored log and report the first discrepancy; exit 0 only when clean.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The hub's data directory.", DefaultValueFactory = _ => new HubOptions().DataDirectory };
        var origin = new Option<string>("--origin") { Description = "The log's origin (Log:Origin).", DefaultValueFactory = _ => new LogOptions().Origin };
        var vkey = new Option<string?>("--vkey") { Description = "Verifier key to check checkpoints with; by default the one of the hub key in the data directory." };
        var postgres = Storage.PostgresOption.Create();
        var audit = new Command("audit", "Recompute every hash of the stored log and check every signed checkpoint.") { data, postgres, origin, vkey };
        audit.SetAction(parseResult => Run(parseResult.GetValue(data)!, parseResult.GetValue(postgres), parseResult.GetValue(origin)!, parseResult.GetValue(vkey)));
        return new Command("log", "Transparency log tools.") { audit };
    }

    private static int Run(string dataDirectory, string? postgres, string origin, string? vkey)
    {
        var path = Path.Combine(dataDirectory, "log.db");
        if (postgres is null && !File.Exists(path))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]FAIL[/] no log at {path}");
            return 2;
        }

        NoteVerifier? verifier = null;
        string? reason = null;
        if (vkey is null)
        {
            verifier = HubSigningKey.LoadOrCreate(dataDirectory, origin).Verifier;
        }
        else if (!NoteVerifier.TryParse(vkey, out verifier, out reason))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]FAIL[/] bad verifier key: {reason}");
            return 2;
        }

        Npgsql.NpgsqlDataSource? dataSource = null;
        try
        {
            dataSource = postgres is null ? null : Storage.PostgresOption.Open(postgres);
        }
        catch (Npgsql.NpgsqlException exception)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]FAIL[/] cannot reach the PostgreSQL database: {exception.Message}");
            return 2;
        }

        using var owned = dataSource;
        using ILogStore store = dataSource is null ? new LiteDbLogStore(path) : new PostgresLogStore(dataSource);
        AuditReport report = null!;
        AnsiConsole.Progress().Start(context =>
        {
            var task = context.AddTask("Auditing entries");
            var progress = new Progress<AuditProgress>(p =>
            {
                task.MaxValue = Math.Max(1, p.Total);
                task.Value = p.Done;
            });
            report = new LogAudit(store, verifier!, origin).Run(progress);
            task.Value = task.MaxValue;
        });

        if (report.IsClean)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]OK[/] {report.Entries} entries, {report.Checkpoints} checkpoints: every hash and signature verifies.");
            return 0;
        }

        AnsiConsole.MarkupLineInterpolated($"[red]FAIL[/] at entry {report.FailedIndex?.ToString() ?? "-"}: {report.Failure}");
        return 1;
    }
}
