namespace SupplyChain.Contracts.Rules;

/// <summary>What a device's site does in the chain; fixed when the device is enrolled (PROTOCOL.md §6.2).</summary>
public enum SiteRole
{
    /// <summary>Packaging site: may commission serials.</summary>
    Manufacturer = 1,

    /// <summary>Wholesaler or logistics: ships and receives.</summary>
    Wholesaler = 2,

    /// <summary>Pharmacy or hospital: ships, receives, dispenses and undoes dispenses.</summary>
    Pharmacy = 3,

    /// <summary>A site's temperature sensor: reports readings and alarms only; any custody event from it is red.</summary>
    Sensor = 4,
}
