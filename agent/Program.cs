using System.CommandLine;
using SupplyChain.Agent;
using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Status;

// With no command the agent runs as the station service; the subcommands are tools for the person setting up the Pi.
var root = new RootCommand("ColdTrace station agent: scans and sensors in, signed custody events out.")
{
    // Anything we do not know (such as --Station:Role=dock-out) is configuration for the host.
    TreatUnmatchedTokensAsErrors = false,
};
root.SetAction(async (parseResult, cancellationToken) =>
{
    var builder = Host.CreateApplicationBuilder([.. parseResult.UnmatchedTokens]);
    builder.AddAgent();
    using var host = builder.Build();
    await host.RunAsync(cancellationToken);
    return 0;
});
root.Subcommands.Add(IdentityCommands.Keygen(OptionsHost));
root.Subcommands.Add(IdentityCommands.Show(OptionsHost));
root.Subcommands.Add(StatusCommand.Create(OptionsHost, TimeProvider.System));
// SIGTERM and Ctrl+C are the host's to handle (a graceful stop within HostOptions.ShutdownTimeout): System.CommandLine's
// own handler would end the process 2 s after the signal, with exit code 143, whatever the host was still closing.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

// The tools read the same configuration (appsettings, environment, command line) and validate it the same way.
static IHost OptionsHost(string[] args)
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.AddAgentOptions();
    return builder.Build();
}
