using System.CommandLine;

namespace SupplyChain.Hub.Users;

/// <summary>
/// <c>users add|list|revoke</c>: manage API users in the data directory of a stopped hub (the hub holds
/// <c>users.db</c> exclusively while running, LiteDB having one writer). A new user's token is printed once; only its
/// SHA-256 is stored.
/// </summary>
internal static class UsersCommand
{
    public static Command Create(TimeProvider time)
    {
        var data = new Option<string>("--data") { Description = "The hub's data directory.", DefaultValueFactory = _ => new HubOptions().DataDirectory };
        var postgres = Storage.PostgresOption.Create();

        var name = new Option<string>("--name") { Description = "The person's sign-in name (1-64 of A-Z a-z 0-9 . _ @ -); logged with their decisions.", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {UserRoles.All}.", Required = true };
        var site = new Option<string>("--site") { Description = "The GLN of the site the person works at; required for a pharmacist (their pharmacy)." };
        var add = new Command("add", "Add a user and print their bearer token (once).") { data, postgres, name, role, site };
        add.SetAction(result => Run(result, (_, accounts) =>
        {
            var outcome = accounts.Add(result.GetValue(name)!, result.GetValue(role)!, result.GetValue(site));
            if (!outcome.IsSuccess)
            {
                return Refuse(result, outcome.Error!);
            }

            var output = result.InvocationConfiguration.Output;
            output.WriteLine($"added {outcome.User!.Name} ({UserRoles.Name(outcome.User.Role)}{(outcome.User.Site is { } at ? $" at {at}" : string.Empty)})");
            output.WriteLine($"API token (shown once, keep it secret): {outcome.Token}");
            return 0;
        }));

        var list = new Command("list", "List users.") { data, postgres };
        list.SetAction(result => Run(result, (store, _) =>
        {
            var output = result.InvocationConfiguration.Output;
            output.WriteLine("name\trole\tstatus\tcreated\trevoked\tsite");
            foreach (var user in store.List())
            {
                output.WriteLine($"{user.Name}\t{UserRoles.Name(user.Role)}\t{(user.IsActive ? "active" : "revoked")}\t{Devices.DeviceDecision.FormatTime(user.Created)}\t{(user.RevokedAt is { } at ? Devices.DeviceDecision.FormatTime(at) : "-")}\t{user.Site?.Value ?? "-"}");
            }

            return 0;
        }));

        var who = new Argument<string>("name") { Description = "The user to revoke." };
        var revoke = new Command("revoke", "Revoke a user: their token stops working when the hub starts.") { data, postgres, who };
        revoke.SetAction(result => Run(result, (_, accounts) =>
        {
            var outcome = accounts.Revoke(result.GetValue(who)!);
            if (!outcome.IsSuccess)
            {
                return Refuse(result, outcome.Error!);
            }

            result.InvocationConfiguration.Output.WriteLine($"revoked {outcome.User!.Name}");
            return 0;
        }));

        return new Command("users", "Add, list and revoke API users (while the hub is stopped).") { add, list, revoke };

        int Run(ParseResult result, Func<IUserStore, UserAccounts, int> action)
        {
            if (result.GetValue(postgres) is { } connectionString)
            {
                // PostgreSQL takes many writers: the running hub reads users from the table on every request, so a user
                // added or revoked here counts at once.
                Npgsql.NpgsqlDataSource dataSource;
                try
                {
                    dataSource = Storage.PostgresOption.Open(connectionString);
                }
                catch (Npgsql.NpgsqlException exception)
                {
                    return Refuse(result, $"cannot reach the PostgreSQL database ({exception.Message}).");
                }

                using (dataSource)
                {
                    var users = new PostgresUserStore(dataSource);
                    return action(users, new UserAccounts(users, time));
                }
            }

            var directory = result.GetValue(data)!;
            LiteDbUserStore store;
            try
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                store = new LiteDbUserStore(Path.Combine(directory, LiteDbUserStore.FileName));
            }
            catch (IOException exception)
            {
                return Refuse(result, $"cannot open the data directory ({exception.Message}); is the hub running? Stop it first.");
            }

            using (store)
            {
                return action(store, new UserAccounts(store, time));
            }
        }
    }

    private static int Refuse(ParseResult result, string error)
    {
        result.InvocationConfiguration.Error.WriteLine($"error: {error}");
        return 1;
    }
}
