using SupplyChain.Hub;

return await HubCommandLine.Build().Parse(args).InvokeAsync();
