using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SupplyChain.Agent.Tests.Station;

public sealed class AgentOptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Station:Role"] = "dock-out",
        ["Station:SiteGln"] = "9506000134383",
        ["Station:DeviceId"] = "dock-7",
        ["Station:DataDirectory"] = "/tmp/unused",
    };

    [Fact]
    public async Task Start_ValidSettings_Starts()
    {
        using var host = Build(Valid);

        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Station:SiteGln", "9506000134384", "Station:SiteGln")]
    [InlineData("Station:SiteGln", null, "Station:SiteGln")]
    [InlineData("Station:Role", "warehouse", "Station:Role")]
    [InlineData("Station:DeviceId", "dock 7", "Station:DeviceId")]
    [InlineData("Station:BatchIdleTimeout", "00:00:01", "Station:BatchIdleTimeout")]
    [InlineData("Station:AssetGiai", "", null)]
    [InlineData("Outbox:MaxCustodyEvents", "0", "Outbox:MaxCustodyEvents")]
    [InlineData("Outbox:JournalMoveInterval", "00:00:00", "Outbox:JournalMoveInterval")]
    [InlineData("Feedback:BuzzerPin", "40", "Feedback:BuzzerPin")]
    [InlineData("Scanner:Type", "evdev", "Scanner:DevicePath")]
    [InlineData("Scanner:Fnc1Substitute", "%", "Scanner:Fnc1Substitute")]
    [InlineData("Sensors:Devices:0:Type", "ds18b21", "Sensors:Devices:0:Type")]
    [InlineData("Sensors:Sampling:MinCelsius", "9", "Sensors:Sampling:MinCelsius")]
    public async Task Start_OneWrongSetting_FailsNamingTheKey(string key, string? value, string? named)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };
        using var host = Build(settings);

        if (named is null)
        {
            await host.StartAsync();
            await host.StopAsync();
            return;
        }

        Assert.Contains(named, await StartFailureAsync(host), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_TransportWithoutContainer_FailsNamingContainerSscc()
    {
        using var host = Build(new Dictionary<string, string?>(Valid) { ["Station:Role"] = "transport" });

        Assert.Contains("Station:ContainerSscc", await StartFailureAsync(host), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SensorsWithoutAsset_FailsNamingAssetGiai()
    {
        using var host = Build(new Dictionary<string, string?>(Valid) { ["Sensors:Devices:0:Type"] = "simulated" });

        Assert.Contains("Station:AssetGiai", await StartFailureAsync(host), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("simulated", "00:00:00", "00:00:10", "Sensors:Devices:0:Excursions:0:Duration")]
    [InlineData("ds18b20", "00:10:00", null, "Sensors:Devices:0:Excursions:0: only a simulated sensor")]
    [InlineData("simulated", "00:10:00", "00:00:10", "Sensors:Devices:0:Excursions:0: set exactly one of Start")]
    public async Task Start_BadExcursion_FailsNamingTheKey(string type, string duration, string? startAfter, string named)
    {
        using var host = Build(new Dictionary<string, string?>(Valid)
        {
            ["Station:AssetGiai"] = "9506000134352FRIDGE1",
            ["Sensors:Devices:0:Type"] = type,
            ["Sensors:Devices:0:Excursions:0:Start"] = "2026-11-24T10:00:00Z",
            ["Sensors:Devices:0:Excursions:0:StartAfter"] = startAfter,
            ["Sensors:Devices:0:Excursions:0:Duration"] = duration,
            ["Sensors:Devices:0:Excursions:0:PeakCelsius"] = "15",
        });

        Assert.Contains(named, await StartFailureAsync(host), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Start", "2026-11-24T10:00:00Z")]
    [InlineData("StartAfter", "00:05:00")]
    public async Task Start_SimulatedExcursion_Starts(string key, string value)
    {
        using var host = Build(new Dictionary<string, string?>(Valid)
        {
            ["Station:AssetGiai"] = "9506000134352FRIDGE1",
            ["Sensors:Devices:0:Type"] = "simulated",
            [$"Sensors:Devices:0:Excursions:0:{key}"] = value,
            ["Sensors:Devices:0:Excursions:0:Duration"] = "00:10:00",
            ["Sensors:Devices:0:Excursions:0:PeakCelsius"] = "15",
        });

        await host.StartAsync();
        await host.StopAsync();
    }

    // Several failing option classes arrive as an AggregateException of OptionsValidationExceptions.
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
