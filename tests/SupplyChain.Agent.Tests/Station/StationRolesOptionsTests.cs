using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Station;

namespace SupplyChain.Agent.Tests.Station;

/// <summary><c>Station:Roles</c> and <c>Station:ModeCodes</c> bound from configuration and checked at start, each failure naming its key.</summary>
public sealed class StationRolesOptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Station:Roles:0"] = "dock-in",
        ["Station:Roles:1"] = "pharmacy",
        ["Station:SiteGln"] = "9506000134383",
        ["Station:DeviceId"] = "pharmacy-1",
        ["Station:DataDirectory"] = "/tmp/unused",
    };

    [Fact]
    public async Task Start_TwoRolesAndAModeCode_StartsWithBothBound()
    {
        using var host = Build(new Dictionary<string, string?>(Valid) { ["Station:ModeCodes:pharmacy"] = "CARD-DISPENSE" });

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<StationOptions>>().Value;
        await host.StopAsync();

        Assert.Equal([StationRole.DockIn, StationRole.Pharmacy], options.GetRoles());
        Assert.Equal("CARD-DISPENSE", options.ModeCodeOf(StationRole.Pharmacy));
        Assert.Equal("MODE-DOCK-IN", options.ModeCodeOf(StationRole.DockIn));
    }

    [Theory]
    [InlineData("Station:Role", "dock-in", "Station:Roles")]
    [InlineData("Station:Roles:1", "warehouse", "Station:Roles:1")]
    [InlineData("Station:Roles:1", "dock-in", "Station:Roles:1")]
    [InlineData("Station:Roles:1", "storage", "Station:Roles:1")]
    [InlineData("Station:Roles:0", "commissioning", "Station:Roles")]
    [InlineData("Station:ModeCodes:warehouse", "CARD-W", "Station:ModeCodes:warehouse")]
    [InlineData("Station:ModeCodes:storage", "CARD-S", "Station:ModeCodes:storage")]
    [InlineData("Station:ModeCodes:pharmacy", "END", "Station:ModeCodes:pharmacy")]
    [InlineData("Station:ModeCodes:pharmacy", "MODE-DOCK-IN", "Station:ModeCodes:pharmacy")]
    [InlineData("Station:ModeCodes:pharmacy", "", "Station:ModeCodes:pharmacy")]
    [InlineData("Station:EndCode", "", "Station:EndCode")]
    public async Task Start_OneWrongSetting_FailsNamingTheKey(string key, string? value, string named)
    {
        using var host = Build(new Dictionary<string, string?>(Valid) { [key] = value });

        Assert.Contains(named, await StartFailureAsync(host), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NeitherRoleNorRoles_FailsNamingRole()
    {
        var settings = new Dictionary<string, string?>(Valid);
        settings.Remove("Station:Roles:0");
        settings.Remove("Station:Roles:1");
        using var host = Build(settings);

        Assert.Contains("Station:Role is required", await StartFailureAsync(host), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SingleRoleWithModeCodeForAnotherRole_Starts()
    {
        var settings = new Dictionary<string, string?>(Valid) { ["Station:ModeCodes:dock-out"] = "CARD-OUT" };
        settings.Remove("Station:Roles:1");
        using var host = Build(settings);

        await host.StartAsync();
        await host.StopAsync();
    }

    private static async Task<string> StartFailureAsync(IHost host)
    {
        var error = await Record.ExceptionAsync(() => host.StartAsync());
        var failures = error is AggregateException aggregate ? aggregate.InnerExceptions : [error!];
        Assert.All(failures, f => Assert.IsType<OptionsValidationException>(f));
        return string.Join(Environment.NewLine, failures.Select(f => f.Message));
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAgentOptions();
        return builder.Build();
    }
}
