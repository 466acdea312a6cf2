// The station worker. Its hosted services arrive with the agent issue; today it only starts and stops cleanly.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSystemd();
using var host = builder.Build();
await host.RunAsync();
