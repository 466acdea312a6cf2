using System.CommandLine;
using SupplyChain.Hub;

// SIGTERM and Ctrl+C are the host's to handle (a graceful stop within HostOptions.ShutdownTimeout): System.CommandLine's
// own handler would end the process 2 s after the signal, with exit code 143, whatever the host was still closing.
return await HubCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
