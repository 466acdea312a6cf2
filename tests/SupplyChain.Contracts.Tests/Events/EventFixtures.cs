using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Tests.Events;

/// <summary>One example of each event kind, built with the factories; these are also the examples in PROTOCOL.md §2.</summary>
internal static class EventFixtures
{
    public const string Pack1 = "https://id.gs1.org/01/09506000134352/21/ABC123";
    public const string Pack2 = "https://id.gs1.org/01/09506000134352/21/ABC124";
    public const string Sscc = "https://id.gs1.org/00/095060001343520017";
    public const string Maker = "https://id.gs1.org/414/9506000134369";
    public const string Wholesaler = "https://id.gs1.org/414/9506000134376";
    public const string Pharmacy = "https://id.gs1.org/414/9506000134383";
    public const string Fridge = "https://id.gs1.org/8004/95060001343ABC";

    public static readonly DateTimeOffset Time = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static DeviceStamp Device(long seq = 42) => new(
        "pharmacy-7-scanner",
        seq,
        EventId.Compute("previous payload"u8),
        "6f1c2a7e-3d4b-4c5d-8e9f-0a1b2c3d4e5f",
        ClockSynced: true);

    public static TheoryData<CustodyEventKind> Kinds => [.. Enum.GetValues<CustodyEventKind>()];

    public static CustodyEvent Example(CustodyEventKind kind) => kind switch
    {
        CustodyEventKind.Commissioning => CustodyEvents.Commission(Time, Device(), Maker, [Pack1, Pack2], "LOT42A", new DateOnly(2027, 6, 30)),
        CustodyEventKind.Shipping => CustodyEvents.Ship(Time, Device(), Wholesaler, [Pack1, Pack2], Pharmacy, Sscc),
        CustodyEventKind.Receiving => CustodyEvents.Receive(Time, Device(), Pharmacy, [Pack1, Pack2], Wholesaler, Sscc),
        CustodyEventKind.Dispensing => CustodyEvents.Dispense(Time, Device(), Pharmacy, [Pack1]),
        CustodyEventKind.DispenseUndo => CustodyEvents.UndoDispense(Time, Device(), Pharmacy, [Pack1], EventId.Compute("the dispense payload"u8)),
        CustodyEventKind.Destroying => CustodyEvents.Destroy(Time, Device(), Pharmacy, [Pack2]),
        CustodyEventKind.Returned => CustodyEvents.Return(Time, Device(), Pharmacy, [Pack2], Wholesaler),
        CustodyEventKind.Stolen => CustodyEvents.ReportStolen(Time, Device(), Pharmacy, [Pack2]),
        CustodyEventKind.SensorReport => CustodyEvents.ReportTemperatures(Time, Device(), Pharmacy, Fridge,
        [
            new(Time.AddMinutes(-2), 4.5m),
            new(Time.AddMinutes(-1), 5.25m),
            new(Time, 6.0m),
        ]),
        CustodyEventKind.SensorAlarm => CustodyEvents.ReportAlarm(Time, Device(), Pharmacy, Fridge, new(Time, 8.4m), 2.0m, 8.0m),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
