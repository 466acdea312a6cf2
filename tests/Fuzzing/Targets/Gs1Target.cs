using System.Text;
using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Fuzzing.Targets;

/// <summary>
/// The GS1 scan parsers: <see cref="Gs1Parser.Parse"/> (element strings with and without AIM symbology identifiers,
/// bracketed HRI, Digital Link URIs, EAN-13/8) under each parser option, and <see cref="Gs1DigitalLink.Parse"/>.
/// Oracle: an accepted scan's bracketed and element-string forms parse back to the same elements.
/// </summary>
internal static class Gs1Target
{
    // A fixed "today" keeps runs reproducible (the century of YYMMDD dates depends on it, GenSpecs §7.12).
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly Gs1ParserOptions[] Options =
    [
        Gs1ParserOptions.Default,
        new() { SeparatorSubstitute = '^', SeparatorsMayBeMissing = true },
        new() { AllowZeroSuppressedGtinInDigitalLink = true },
    ];

    public static FuzzTarget Target { get; } = new(
        "gs1",
        "Gs1Parser.Parse (every option set), Gs1DigitalLink.Parse and Format",
        Run);

    private static void Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        foreach (var options in Options)
        {
            var result = Gs1Parser.Parse(text, Now, options);
            if (result.IsSuccess)
            {
                CheckRoundTrips(result.Value);
            }
        }

        var link = Gs1DigitalLink.Parse(text, Now);
        if (link.IsSuccess)
        {
            CheckRoundTrips(link.Value);
        }
    }

    private static void CheckRoundTrips(Gs1Scan scan)
    {
        var bracketed = Gs1Parser.Parse(scan.ToBracketed(), Now);
        InvariantBrokenException.ThrowUnless(
            bracketed.IsSuccess && SameElements(scan, bracketed.Value),
            $"the bracketed form {scan.ToBracketed()} does not parse back: {bracketed.Error}");

        var elementString = Gs1Parser.Parse(scan.ToElementString(), Now);
        InvariantBrokenException.ThrowUnless(
            elementString.IsSuccess && SameElements(scan, elementString.Value),
            $"the element string {scan.ToElementString()} does not parse back: {elementString.Error}");

        var formatted = Gs1DigitalLink.Format(scan, "https://example.com");
        if (formatted.IsSuccess)
        {
            var link = Gs1DigitalLink.Parse(formatted.Value, Now);
            InvariantBrokenException.ThrowUnless(
                link.IsSuccess && SameElements(scan, link.Value, ignoreOrder: true),
                $"the Digital Link {formatted.Value} does not parse back: {link.Error}");
        }
    }

    private static bool SameElements(Gs1Scan expected, Gs1Scan actual, bool ignoreOrder = false)
    {
        var left = expected.Elements.Select(e => (e.Ai, e.Value));
        var right = actual.Elements.Select(e => (e.Ai, e.Value));
        return ignoreOrder ? left.Order().SequenceEqual(right.Order()) : left.SequenceEqual(right);
    }
}
