using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SupplyChain.Agent.Station;

namespace SupplyChain.Agent.Tests.Station;

public sealed class ClockSyncTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("coldtrace-clock-");

    [Fact]
    public void IsSynchronized_MarkerCreatedThenRemoved_FollowsTheFile()
    {
        var marker = Path.Combine(_directory.FullName, "synchronized");
        var clock = new ClockSync(marker);

        Assert.False(clock.IsSynchronized());
        File.WriteAllText(marker, string.Empty);
        Assert.True(clock.IsSynchronized());
        File.Delete(marker);
        Assert.False(clock.IsSynchronized());
    }

    [Fact]
    public void AddAgent_NoMarkerSetting_WatchesTimesyncdsFile()
    {
        using var host = Build([]);

        Assert.Equal("/run/systemd/timesync/synchronized", host.Services.GetRequiredService<ClockSync>().MarkerPath);
    }

    [Fact]
    public void AddAgent_MarkerSetting_WatchesThatFile()
    {
        var marker = Path.Combine(_directory.FullName, "chrony-synced");
        using var host = Build(new() { ["Station:ClockSyncMarker"] = marker });

        var clock = host.Services.GetRequiredService<ClockSync>();
        File.WriteAllText(marker, string.Empty);

        Assert.Equal(marker, clock.MarkerPath);
        Assert.True(clock.IsSynchronized());
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Station:Role"] = "commissioning",
            ["Station:SiteGln"] = "9506000134383",
            ["Station:DeviceId"] = "line-1",
            ["Station:DataDirectory"] = _directory.FullName,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAgent();
        return builder.Build();
    }
}
