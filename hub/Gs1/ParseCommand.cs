using System.CommandLine;
using System.Text;
using System.Text.Json;
using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Hub.Gs1;

/// <summary>
/// <c>gs1 parse '&lt;scan&gt;'</c>: parses what a scanner sent and prints the AIs as JSON (exit 0), or the reason on
/// stderr (exit 1). In the argument, <c>\x1d</c> and <c>␝</c> (U+241D) stand for GS, which a shell cannot type.
/// </summary>
internal static class ParseCommand
{
    private const string DigitalLinkBase = "https://id.gs1.org";

    /// <summary>The <c>gs1</c> command with its <c>parse</c> subcommand.</summary>
    public static Command Create(TimeProvider time)
    {
        var scan = new Argument<string>("scan")
        {
            Description = "Scanner output, e.g. ']d2011231231231233310ABC123\\x1d99TESTING' or '(01)…(21)…' or a Digital Link URI.",
        };
        var substitute = new Option<string?>("--fnc1-substitute")
        {
            Description = "A character the scanner sends instead of FNC1/GS (keyboard wedges), e.g. '^'.",
        };
        var noSeparators = new Option<bool>("--separators-may-be-missing")
        {
            Description = "The scanner may drop FNC1 altogether: reject fields whose end is ambiguous instead of trusting them.",
        };
        var parse = new Command("parse", "Parse a GS1 barcode scan and print its AIs as JSON.") { scan, substitute, noSeparators };
        parse.SetAction(result => Run(
            result,
            result.GetValue(scan) ?? string.Empty,
            result.GetValue(substitute),
            result.GetValue(noSeparators),
            time));
        return new Command("gs1", "GS1 barcode tools.") { parse };
    }

    private static int Run(ParseResult invocation, string argument, string? substitute, bool separatorsMayBeMissing, TimeProvider time)
    {
        var output = invocation.InvocationConfiguration.Output;
        var error = invocation.InvocationConfiguration.Error;
        if (substitute is not null && (substitute.Length != 1 || !Gs1ParserOptions.IsUsableSubstitute(substitute[0])))
        {
            error.WriteLine($"error: --fnc1-substitute must be one character outside GS1 character set 82; got '{substitute}'.");
            return 1;
        }

        var options = new Gs1ParserOptions { SeparatorSubstitute = substitute?[0], SeparatorsMayBeMissing = separatorsMayBeMissing };
        var result = Gs1Parser.Parse(Unescape(argument), time.GetUtcNow(), options);
        if (!result.IsSuccess)
        {
            error.WriteLine($"error: {result.Error.Code}: {result.Error.Message}");
            return 1;
        }

        output.WriteLine(ToJson(result.Value));
        return 0;
    }

    /// <summary>Shells cannot carry GS (0x1D): accept the four characters <c>\x1d</c> and the symbol ␝ for it.</summary>
    internal static string Unescape(string argument) =>
        argument
            .Replace("\\x1d", "\u001D", StringComparison.OrdinalIgnoreCase)
            .Replace('\u241D', Gs1Parser.GroupSeparator);

    private static string ToJson(Gs1Scan scan)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("symbology", scan.Symbology.ToString());
            json.WriteString("form", scan.Form.ToString());
            json.WriteStartArray("elements");
            foreach (var element in scan.Elements)
            {
                json.WriteStartObject();
                json.WriteString("ai", element.Ai);
                json.WriteString("title", element.Title);
                json.WriteString("value", element.Value);
                json.WriteBoolean("known", element.IsKnown);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteIfPresent(json, "gtin", scan.Gtin?.Value);
            WriteIfPresent(json, "lot", scan.Lot?.Value);
            WriteIfPresent(json, "serial", scan.Serial?.Value);
            WriteIfPresent(json, "expiry", scan.Expiry?.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            WriteIfPresent(json, "sscc", scan.Sscc?.Value);
            WriteIfPresent(json, "shipTo", scan.ShipTo?.Value);
            WriteIfPresent(json, "location", scan.Location?.Value);
            WriteIfPresent(json, "giai", scan.Giai?.Value);
            WriteIfPresent(json, "bracketed", scan.ToBracketed());
            WriteIfPresent(json, "digitalLink", scan.ToDigitalLink(DigitalLinkBase).Value);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteIfPresent(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
