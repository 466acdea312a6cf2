namespace SupplyChain.Contracts.Events;

/// <summary>What a ColdTrace event records; each kind is one fixed (action, bizStep, disposition) triple (PROTOCOL.md §2.3).</summary>
public enum CustodyEventKind
{
    /// <summary>ADD, commissioning, active: serial assigned at packaging; ilmd carries lot and expiry.</summary>
    Commissioning = 1,

    /// <summary>OBSERVE, shipping, in_transit: packs leave a site for the destination party.</summary>
    Shipping = 2,

    /// <summary>OBSERVE, receiving, in_progress: packs arrive from the source party.</summary>
    Receiving = 3,

    /// <summary>OBSERVE, dispensing, dispensed: a pharmacist dispensed the packs.</summary>
    Dispensing = 4,

    /// <summary>OBSERVE, dispensing, active, with <c>ct:undoes</c>: a dispense reversed.</summary>
    DispenseUndo = 5,

    /// <summary>DELETE, destroying, destroyed.</summary>
    Destroying = 6,

    /// <summary>OBSERVE, shipping, returned: packs sent back.</summary>
    Returned = 7,

    /// <summary>OBSERVE, no bizStep, stolen.</summary>
    Stolen = 8,

    /// <summary>OBSERVE, sensor_reporting, no disposition: temperature samples of an asset.</summary>
    SensorReport = 9,

    /// <summary>OBSERVE, sensor_reporting, no disposition, one report with exception ALARM_CONDITION: a reading left the range.</summary>
    SensorAlarm = 10,
}
