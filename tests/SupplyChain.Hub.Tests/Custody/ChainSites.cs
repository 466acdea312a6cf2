namespace SupplyChain.Hub.Tests.Custody;

/// <summary>A maker, a wholesaler and two pharmacies, each with one enrolled device on the hub's broker.</summary>
internal sealed class ChainSites : IAsyncDisposable
{
    public const string MakerGln = "9506000134376";
    public const string WholesalerGln = "9506000134390";
    public const string PharmacyGln = "9506000134383";
    public const string OtherPharmacyGln = "9506000134406";

    private ChainSites(ChainDevice maker, ChainDevice wholesaler, ChainDevice pharmacy, ChainDevice otherPharmacy)
    {
        Maker = maker;
        Wholesaler = wholesaler;
        Pharmacy = pharmacy;
        OtherPharmacy = otherPharmacy;
    }

    public ChainDevice Maker { get; }

    public ChainDevice Wholesaler { get; }

    public ChainDevice Pharmacy { get; }

    public ChainDevice OtherPharmacy { get; }

    public static async Task<ChainSites> EnrolAsync(RunningHub hub) => new(
        await ChainDevice.EnrolAsync(hub, "maker-1", MakerGln, "manufacturer"),
        await ChainDevice.EnrolAsync(hub, "wholesaler-1", WholesalerGln, "warehouse"),
        await ChainDevice.EnrolAsync(hub, "pharmacy-1", PharmacyGln, "pharmacy"),
        await ChainDevice.EnrolAsync(hub, "pharmacy-2", OtherPharmacyGln, "pharmacy"));

    /// <summary>Connects every device to a restarted hub.</summary>
    public async Task ReconnectAsync(RunningHub hub)
    {
        await Maker.ReconnectAsync(hub);
        await Wholesaler.ReconnectAsync(hub);
        await Pharmacy.ReconnectAsync(hub);
        await OtherPharmacy.ReconnectAsync(hub);
    }

    /// <summary>Commissions packs at the maker, ships them to the wholesaler, on to the pharmacy, all received: all green.</summary>
    public async Task<List<long>> DeliverToPharmacyAsync(params string[] serials)
    {
        List<long> indexes =
        [
            (await Maker.SendGreenAsync(Maker.Commission(serials))).Index!.Value,
            (await Maker.SendGreenAsync(Maker.Ship(WholesalerGln, serials))).Index!.Value,
            (await Wholesaler.SendGreenAsync(Wholesaler.Receive(MakerGln, serials))).Index!.Value,
            (await Wholesaler.SendGreenAsync(Wholesaler.Ship(PharmacyGln, serials))).Index!.Value,
            (await Pharmacy.SendGreenAsync(Pharmacy.Receive(WholesalerGln, serials))).Index!.Value,
        ];
        return indexes;
    }

    public async ValueTask DisposeAsync()
    {
        await Maker.DisposeAsync();
        await Wholesaler.DisposeAsync();
        await Pharmacy.DisposeAsync();
        await OtherPharmacy.DisposeAsync();
    }
}
