using System.CommandLine;
using SupplyChain.Hub.Audit;

namespace SupplyChain.Hub;

/// <summary>The hub's command line: with no command it runs the hub; each subcommand is one tool.</summary>
internal static class HubCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ColdTrace hub: custody events in, verified answers out.")
        {
            // Anything we do not know (such as --Hub:DataDirectory=... or --urls=...) is configuration for the host.
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            var app = HubHost.Build([.. parseResult.UnmatchedTokens]);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(Gs1.ParseCommand.Create(TimeProvider.System));
        root.Subcommands.Add(Devices.DevicesCommand.Create(TimeProvider.System));
        root.Subcommands.Add(Users.UsersCommand.Create(TimeProvider.System));
        root.Subcommands.Add(Storage.StorageCommand.Create(TimeProvider.System));
        root.Subcommands.Add(Demo.DemoCommand.Create());
        return root;
    }
}
