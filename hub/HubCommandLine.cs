using System.CommandLine;

namespace SupplyChain.Hub;

/// <summary>The hub's command line: with no command it runs the hub; each subcommand is one tool.</summary>
internal static class HubCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ColdTrace hub: custody events in, verified answers out.");
        root.SetAction((_, _) =>
        {
            Console.WriteLine("The hub server is not built yet (see the open issues). Try: gs1 parse '<scan>'.");
            return Task.FromResult(0);
        });
        root.Subcommands.Add(Gs1.ParseCommand.Create(TimeProvider.System));
        return root;
    }
}
