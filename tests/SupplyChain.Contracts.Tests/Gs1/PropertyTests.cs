using System.Text;
using FsCheck;
using FsCheck.Fluent;
using SupplyChain.Contracts.Gs1;
using PropertyAttribute = FsCheck.Xunit.PropertyAttribute;

namespace SupplyChain.Contracts.Tests.Gs1;

public sealed class PropertyTests
{
    private const string Set82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static Gen<string> Digits(int count) =>
        Gen.ArrayOf(Gen.Elements("0123456789".ToCharArray()), count).Select(c => new string(c));

    private static Gen<string> WithCheckDigit(int length) =>
        Digits(length - 1).Select(body => Gs1CheckDigit.TryCompute(body, out var check) ? body + check : body);

    private static Gen<string> Text(int maxLength) =>
        from length in Gen.Choose(1, maxLength)
        from chars in Gen.ArrayOf(Gen.Elements(Set82.ToCharArray()), length)
        select new string(chars);

    private static Gen<string> Yymmdd =>
        from yy in Gen.Choose(0, 99)
        from month in Gen.Choose(1, 12)
        from day in Gen.Choose(0, DateTime.DaysInMonth(Expiry.CenturyWindow(yy, Now.Year), month))
        select $"{yy:00}{month:00}{day:00}";

    private static Gen<(string Ai, string Value)> Optional(string ai, Gen<string> value) =>
        Gen.Frequency((1, Gen.Constant((ai, string.Empty))), (3, value.Select(v => (ai, v))));

    /// <summary>A pack: GTIN plus any of lot, expiry, serial, NHRN and internal data, in random order.</summary>
    private static Gen<(string Ai, string Value)[]> Pack =>
        from gtin in WithCheckDigit(14)
        from others in Gen.CollectToArray(new[]
        {
            Optional("10", Text(20)), Optional("17", Yymmdd), Optional("21", Text(20)),
            Optional("710", Text(20)), Optional("91", Text(90)), Optional("30", Digits(8)),
        })
        from order in Gen.Shuffle([("01", gtin), .. others.Where(o => o.Item2.Length > 0)])
        select order;

    /// <summary>A logistic unit or station label: SSCC, GLN or GIAI with optional extras.</summary>
    private static Gen<(string Ai, string Value)[]> Label =>
        Gen.OneOf(
            from sscc in WithCheckDigit(18)
            from shipTo in Optional("410", WithCheckDigit(13))
            from route in Optional("403", Text(30))
            from order in Gen.Shuffle(new[] { ("00", sscc), shipTo, route }.Where(e => e.Item2.Length > 0))
            select order,
            from gln in WithCheckDigit(13)
            from extension in Optional("254", Text(20))
            select new[] { ("414", gln), extension }.Where(e => e.Item2.Length > 0).ToArray(),
            from giai in Text(30)
            from order in Optional("400", Text(30))
            select new[] { ("8004", giai), order }.Where(e => e.Item2.Length > 0).ToArray());

    private static Arbitrary<(string Ai, string Value)[]> Scans =>
        Arb.From(Gen.OneOf(Pack, Label));

    private static string Bracketed((string Ai, string Value)[] elements) =>
        string.Concat(elements.Select(e => $"({e.Ai}){e.Value.Replace("(", "\\(", StringComparison.Ordinal)}"));

    private static bool SameElements(Gs1Scan scan, (string Ai, string Value)[] expected) =>
        scan.Elements.Select(e => (e.Ai, e.Value)).OrderBy(e => e.Ai, StringComparer.Ordinal)
            .SequenceEqual(expected.OrderBy(e => e.Ai, StringComparer.Ordinal));

    [Property(MaxTest = 300)]
    public Property Bracketed_RandomValidScan_RoundTrips() =>
        Prop.ForAll(Scans, elements =>
        {
            var scan = Gs1Parser.Parse(Bracketed(elements), Now);
            return scan.IsSuccess && SameElements(scan.Value, elements) && scan.Value.ToBracketed() == Bracketed(elements);
        });

    [Property(MaxTest = 300)]
    public Property ElementString_RandomValidScan_RoundTrips() =>
        Prop.ForAll(Scans, elements =>
        {
            var first = Gs1Parser.Parse(Bracketed(elements), Now).Value!;
            var again = Gs1Parser.Parse("]d2" + first.ToElementString(), Now);
            var wedge = Gs1Parser.Parse(first.ToElementString().Replace(Gs1Parser.GroupSeparator, '^'), Now, new Gs1ParserOptions { SeparatorSubstitute = '^' });
            return again.IsSuccess && SameElements(again.Value, elements)
                && wedge.IsSuccess && SameElements(wedge.Value, elements);
        });

    [Property(MaxTest = 300)]
    public Property DigitalLink_RandomValidScan_RoundTrips() =>
        Prop.ForAll(Scans, elements =>
        {
            var scan = Gs1Parser.Parse(Bracketed(elements), Now).Value!;
            var uri = scan.ToDigitalLink("https://example.com/stem");
            var back = uri.IsSuccess ? Gs1Parser.Parse("]Q1" + uri.Value, Now) : null;
            return ((back?.IsSuccess ?? false) && SameElements(back.Value!, elements)).Label($"{uri} -> {back}");
        });

    [Property(MaxTest = 300)]
    public Property TypedValues_RandomValidScan_MatchElements() =>
        Prop.ForAll(Arb.From(Pack), elements =>
        {
            var scan = Gs1Parser.Parse(Bracketed(elements), Now).Value!;
            var expiry = elements.FirstOrDefault(e => e.Ai == "17").Value;
            return scan.Gtin?.Value == elements.First(e => e.Ai == "01").Value
                && scan.Lot?.Value == elements.FirstOrDefault(e => e.Ai == "10").Value
                && scan.Serial?.Value == elements.FirstOrDefault(e => e.Ai == "21").Value
                && scan.Expiry?.Text == expiry
                && (expiry is null || Expiry.TryParse(expiry, Now, out var e, out _) && e.Date == scan.Expiry?.Date);
        });

    private static readonly string[] JunkPrefixes =
        ["", "]d2", "]C1", "]Q3", "]e0", "]Q1", "]d1", "]E0", "]E4", "(", "(01)", "https://a/", "http://a/01/", "]Q1https://x/01/12312312312333", "\u001D"];

    private static readonly char[] JunkCharacters =
        "0123456789()[]]%/?&=#+\\^|~ \u001D\r\nABCXYZabcz!\"'*,-.:;<>_$@\u00C4\u241D\u0000\uFFFF\uD800".ToCharArray();

    private static Gen<string> Junk =>
        from prefix in Gen.Elements(JunkPrefixes)
        from length in Gen.Choose(0, 60)
        from chars in Gen.ArrayOf(Gen.Elements(JunkCharacters), length)
        select prefix + new string(chars);

    private static Gen<string> RandomBytes =>
        from length in Gen.Choose(0, 80)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
        select Encoding.Latin1.GetString(bytes);

    private static Gen<string> MutatedScan =>
        from elements in Gen.OneOf(Pack, Label)
        from form in Gen.Choose(0, 2)
        from mutations in Gen.ListOf(
            from kind in Gen.Choose(0, 4)
            from at in Gen.Choose(0, 1000)
            from c in Gen.Elements(JunkCharacters)
            select (kind, at, c),
            3)
        select Mutate(Render(elements, form), mutations);

    private static string Render((string Ai, string Value)[] elements, int form)
    {
        var scan = Gs1Parser.Parse(Bracketed(elements), Now).Value!;
        return form switch
        {
            0 => "]d2" + scan.ToElementString(),
            1 => scan.ToBracketed(),
            _ => "]Q1" + scan.ToDigitalLink("https://example.com").Value,
        };
    }

    private static string Mutate(string text, IEnumerable<(int Kind, int At, char C)> mutations)
    {
        var chars = new StringBuilder(text);
        foreach (var (kind, at, c) in mutations)
        {
            var i = chars.Length == 0 ? 0 : at % chars.Length;
            switch (kind)
            {
                case 0 when chars.Length > 0: chars.Remove(i, 1); break;
                case 1: chars.Insert(i, c); break;
                case 2 when chars.Length > 0: chars[i] = c; break;
                case 3: chars.Length = i; break;
                default: chars.Insert(i, chars.ToString(0, Math.Min(4, chars.Length - i))); break;
            }
        }

        return chars.ToString();
    }

    /// <summary>Never throws; an accepted scan is internally consistent, so its bracketed form parses to the same AIs.</summary>
    private static bool ParsesSafely(string input) =>
        ParsesSafely(input, Gs1ParserOptions.Default)
        && ParsesSafely(input, new Gs1ParserOptions { SeparatorSubstitute = '^', SeparatorsMayBeMissing = true, AllowZeroSuppressedGtinInDigitalLink = true });

    private static bool ParsesSafely(string input, Gs1ParserOptions options)
    {
        var result = Gs1Parser.Parse(input, Now, options);
        if (!result.IsSuccess)
        {
            return result.Error.Message.Length > 0 && Enum.IsDefined(result.Error.Code);
        }

        var again = Gs1Parser.Parse(result.Value.ToBracketed(), Now);
        return again.IsSuccess && again.Value.ToBracketed() == result.Value.ToBracketed();
    }

    [Property(MaxTest = 1000)]
    public Property Parse_RandomJunk_NeverThrows() => Prop.ForAll(Arb.From(Junk), ParsesSafely);

    [Property(MaxTest = 1000)]
    public Property Parse_RandomBytes_NeverThrows() => Prop.ForAll(Arb.From(RandomBytes), ParsesSafely);

    [Property(MaxTest = 1000)]
    public Property Parse_MutatedValidScans_NeverThrow() => Prop.ForAll(Arb.From(MutatedScan), ParsesSafely);
}
