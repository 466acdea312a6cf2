using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Station;
using SupplyChain.Agent.Tests.Outbox;

namespace SupplyChain.Agent.Tests.Templates;

/// <summary>
/// The station templates in firmware-config/stations/ go through the agent's own options binding and validation
/// (<c>AddAgentOptions</c>, the same the service runs at start), one file per role.
/// </summary>
public sealed class StationTemplatesTests
{
    private static readonly string[] RoleNames = ["commissioning", "dock-out", "dock-in", "pharmacy", "storage", "transport"];

    public static TheoryData<string> Roles => new(RoleNames);

    [Fact]
    public void Templates_EveryRole_HasExactlyOneTemplate()
    {
        var files = Directory.GetFiles(TemplatesDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(RoleNames.Order(StringComparer.Ordinal), files);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Start_Template_PassesValidation(string role)
    {
        using var directory = new TempDirectory();
        using var host = Build(File.ReadAllText(TemplateOf(role)), directory);

        await host.StartAsync();
        var station = host.Services.GetRequiredService<IOptions<StationOptions>>().Value;
        await host.StopAsync();

        Assert.Equal(role, station.Role);
        Assert.Equal("/var/lib/coldtrace-agent", station.DataDirectory);
    }

    [Theory]
    [InlineData("dock-out", "Station", "SiteGln", "9506000134384", "Station:SiteGln")]
    [InlineData("commissioning", "Scanner", "PortName", "", "Scanner:PortName")]
    [InlineData("storage", "Station", "AssetGiai", "", "Station:AssetGiai")]
    [InlineData("transport", "Station", "ContainerSscc", "095060001343520018", "Station:ContainerSscc")]
    [InlineData("pharmacy", "Feedback", "BuzzerPin", "99", "Feedback:BuzzerPin")]
    [InlineData("dock-in", "Delivery", "Port", "0", "Delivery:Port")]
    public async Task Start_BrokenCopyOfTemplate_FailsNamingTheKey(string role, string section, string key, string value, string named)
    {
        var json = JsonNode.Parse(File.ReadAllText(TemplateOf(role)))!;
        Assert.NotNull(json[section]?[key]);
        json[section]![key] = value.Length == 0 ? null : JsonValue.Create(value);
        using var directory = new TempDirectory();
        using var host = Build(json.ToJsonString(), directory);

        var error = await Record.ExceptionAsync(() => host.StartAsync());

        var failures = error is AggregateException aggregate ? aggregate.InnerExceptions : [error!];
        Assert.All(failures, f => Assert.IsType<OptionsValidationException>(f));
        Assert.Contains(named, string.Join(Environment.NewLine, failures.Select(f => f.Message)), StringComparison.Ordinal);
    }

    private static string TemplatesDirectory
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SupplyChain.sln")))
            {
                directory = directory.Parent;
            }

            return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("No SupplyChain.sln above the test."), "firmware-config", "stations");
        }
    }

    private static string TemplateOf(string role) => Path.Combine(TemplatesDirectory, role + ".json");

    /// <summary>
    /// The template as the only settings, except the broker's password and CA files: the validator checks they exist, and
    /// on a station they are written at enrolment (firmware-config/README.md), so the test points them at real files.
    /// </summary>
    private static IHost Build(string json, TempDirectory directory)
    {
        var template = JsonNode.Parse(json)!;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        var files = new Dictionary<string, string?>();
        foreach (var key in new[] { "PasswordFile", "CaFile" })
        {
            if (template["Delivery"]?[key] is not null)
            {
                var path = directory.File(key);
                File.WriteAllText(path, "unused\n");
                files["Delivery:" + key] = path;
            }
        }

        builder.Configuration.AddInMemoryCollection(files);
        builder.AddAgentOptions();
        return builder.Build();
    }
}
