using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Station;
using SupplyChain.Hub.Devices;

namespace SupplyChain.IntegrationTests.Enrolment;

/// <summary>The line an agent prints for enrolment must be one the hub's <c>devices enroll</c> accepts.</summary>
public sealed class EnrolmentLineTests
{
    [Fact]
    public void HubRole_EachStationRole_IsTheDeviceRoleItsRulesNeed()
    {
        (StationRole Station, DeviceRole Expected)[] table =
        [
            (StationRole.Commissioning, DeviceRole.Manufacturer),
            (StationRole.DockOut, DeviceRole.Warehouse),
            (StationRole.DockIn, DeviceRole.Warehouse),
            (StationRole.Pharmacy, DeviceRole.Pharmacy),
            (StationRole.Storage, DeviceRole.Sensor),
            (StationRole.Transport, DeviceRole.Sensor),
        ];
        foreach (var (station, expected) in table)
        {
            Assert.True(DeviceRoles.TryParse(EnrolmentLine.HubRole(station), out var role), station.ToString());
            Assert.Equal(expected, role);
        }
    }

    [Fact]
    public void HubRole_CoversEveryStationRole()
    {
        Assert.All(Enum.GetValues<StationRole>(), role => Assert.True(DeviceRoles.TryParse(EnrolmentLine.HubRole(role), out _)));
    }
}
