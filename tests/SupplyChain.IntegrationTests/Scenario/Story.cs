namespace SupplyChain.IntegrationTests.Scenario;

/// <summary>
/// Who and what the scenario is about: four sites, one product in two lots, 500 packs, and which packs go where. Check
/// digits are GS1 mod 10 (GenSpecs §7.9); the hub refuses anything else.
/// </summary>
internal static class Story
{
    public const string Gtin = "09506000134352";
    public const string Manufacturer = "9506000134000";
    public const string Distributor = "9506000134017";
    public const string Pharmacy = "9506000134024";

    /// <summary>Another pharmacy, where a copy of an already dispensed pack is presented.</summary>
    public const string OtherPharmacy = "9506000134031";

    public const string PalletOne = "009506000134000015";
    public const string PalletTwo = "009506000134000022";
    public const string Tote = "009506000134000039";

    /// <summary>The distributor's fridge (GIAI, AI 8004), watched by its own sensor station.</summary>
    public const string Fridge = "9506000134017FRIDGE-1";

    public const string Expiry = "301231";
    public const string Counterfeit = "FAKE0001";
    public const int Packs = 500;

    /// <summary>Packs 0–249 are lot A, 250–499 lot B.</summary>
    public static string Lot(int pack) => pack < 250 ? "LOTA25" : "LOTB25";

    public static string Serial(int pack) => $"SC{pack:D4}";

    /// <summary>The pack's GS1 DataMatrix as a scanner sends it: GTIN, serial, GS, lot, GS, expiry.</summary>
    public static string Label(int pack) => Label(Serial(pack), Lot(pack));

    public static string Label(string serial, string lot) => $"01{Gtin}21{serial}\u001d10{lot}\u001d17{Expiry}";

    public static string PackUri(string serial) => $"https://id.gs1.org/01/{Gtin}/21/{serial}";

    public static string SiteUri(string gln) => $"https://id.gs1.org/414/{gln}";

    public static IReadOnlyList<int> All => [.. Enumerable.Range(0, Packs)];

    /// <summary>Each pallet holds half of each lot.</summary>
    public static IReadOnlyList<int> OnPalletOne => [.. Span(0, 125), .. Span(250, 375)];

    public static IReadOnlyList<int> OnPalletTwo => [.. Span(125, 250), .. Span(375, 500)];

    /// <summary>Shipped on from the distributor to the pharmacy before the fridge excursion: 100 of each lot.</summary>
    public static IReadOnlyList<int> ToPharmacy => [.. Span(0, 100), .. Span(250, 350)];

    /// <summary>Still in the distributor's fridge during the excursion.</summary>
    public static IReadOnlyList<int> AtDistributor => [.. All.Except(ToPharmacy)];

    /// <summary>The lot a quality person recalls after the pharmacy received its tote, before anything is dispensed.</summary>
    public const string RecalledLot = "LOTB25";

    public static bool IsRecalled(int pack) => Lot(pack) == RecalledLot;

    /// <summary>Dispensed at the pharmacy: 25 packs of lot A.</summary>
    public static IReadOnlyList<int> Dispensed => [.. Span(0, 25)];

    /// <summary>Scanned at the pharmacy counter after the recall: 25 packs of the recalled lot, refused by the station itself
    /// from its signed recall list (red signal, no event).</summary>
    public static IReadOnlyList<int> RefusedAtCounter => [.. Span(250, 275)];

    /// <summary>Dispensed at the pharmacy, then its serial presented again at the other pharmacy.</summary>
    public const int DispensedTwice = 0;

    /// <summary>At the pharmacy, not dispensed, not recalled.</summary>
    public static IReadOnlyList<int> OnPharmacyShelf => [.. ToPharmacy.Except(Dispensed).Where(p => !IsRecalled(p))];

    /// <summary>At the pharmacy and recalled (including the ones refused at the counter).</summary>
    public static IReadOnlyList<int> RecalledAtPharmacy => [.. ToPharmacy.Where(IsRecalled)];

    /// <summary>The scans of a pallet at a dock: SSCC, the other party's GLN (AI 410 ship-to out, AI 414 sender card in), packs, end code.</summary>
    public static IEnumerable<string> Batch(string sscc, string partyElement, IEnumerable<int> packs) =>
        [$"00{sscc}", partyElement, .. packs.Select(Label), "END"];

    private static IEnumerable<int> Span(int from, int to) => Enumerable.Range(from, to - from);
}
