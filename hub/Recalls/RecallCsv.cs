using System.Globalization;
using System.Text;

namespace SupplyChain.Hub.Recalls;

/// <summary>
/// A recall's affected packs as RFC 4180 CSV, one row per pack: the export of <c>GET /v1/recalls/{id}/packs.csv</c> and
/// of the recall page.
/// </summary>
internal static class RecallCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string FileName(string id) => $"{id}-packs.csv";

    public static byte[] Encode(string id, IReadOnlyList<PackLine> lines)
    {
        var csv = new StringBuilder("recall_id,gtin,serial,lot,expiry,status,progress,custodian,shipped_to,location,dispense_attempts_after,dispensable\r\n");
        foreach (var line in lines)
        {
            string[] fields =
            [
                id, line.Gtin, line.Serial, line.Lot, line.Expiry, line.Status, line.Progress, line.Custodian, line.ShippedTo ?? string.Empty,
                line.Location ?? string.Empty, line.DispenseAttemptsAfter.ToString(CultureInfo.InvariantCulture), line.Dispensable ? "true" : "false",
            ];
            csv.AppendJoin(',', fields.Select(Field)).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>Quotes every field (RFC 4180 §2.6–2.7) and defuses spreadsheet formulas (OWASP "CSV injection"): a leading = + - @ gets a '.</summary>
    private static string Field(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
