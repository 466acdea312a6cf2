using System.CommandLine;
using System.Text.Json;

namespace SupplyChain.Hub.Tests.Gs1;

public sealed class ParseCommandTests
{
    private static (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = HubCommandLine.Build()
            .Parse(["gs1", "parse", .. arguments])
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("]d2011231231231233310ABC123\\x1d99TESTING")]
    [InlineData("]d2011231231231233310ABC123\u241D99TESTING")]
    [InlineData("]d2011231231231233310ABC123\\X1D99TESTING")]
    public void Parse_GsEscapes_PrintsAisAsJson(string scan)
    {
        var (exit, output, error) = Run(scan);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("DataMatrix", root.GetProperty("symbology").GetString());
        Assert.Equal(
            [("01", "12312312312333"), ("10", "ABC123"), ("99", "TESTING")],
            root.GetProperty("elements").EnumerateArray().Select(e => (e.GetProperty("ai").GetString(), e.GetProperty("value").GetString())));
        Assert.Equal("12312312312333", root.GetProperty("gtin").GetString());
        Assert.Equal("ABC123", root.GetProperty("lot").GetString());
        Assert.Equal("https://id.gs1.org/01/12312312312333/10/ABC123?99=TESTING", root.GetProperty("digitalLink").GetString());
    }

    [Fact]
    public void Parse_Expiry_PrintedAsIsoDate()
    {
        var (exit, output, _) = Run("(01)12312312312333(17)270600(21)S1");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("2027-06-30", json.RootElement.GetProperty("expiry").GetString());
        Assert.Equal("S1", json.RootElement.GetProperty("serial").GetString());
    }

    [Fact]
    public void Parse_Substitute_ActsAsSeparator()
    {
        var (exit, output, _) = Run("]d2011231231231233310ABC123^99TESTING", "--fnc1-substitute", "^");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(3, json.RootElement.GetProperty("elements").GetArrayLength());
    }

    [Fact]
    public void Parse_SeparatorsMayBeMissing_AmbiguousScanRejected()
    {
        const string Scan = "]d2011231231231233310L17270600";

        Assert.Equal(0, Run(Scan).Exit);
        var (exit, _, error) = Run(Scan, "--separators-may-be-missing");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: MissingSeparator: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(21)ABC123", "MissingRequiredAi")]
    [InlineData("]d2", "EmptyInput")]
    [InlineData("(01)12345678901232", "BadCheckDigit")]
    public void Parse_Rejected_ExitsOneWithReasonOnStderr(string scan, string code)
    {
        var (exit, output, error) = Run(scan);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.StartsWith($"error: {code}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SubstituteInSet82_ExitsOne()
    {
        var (exit, _, error) = Run("(01)12312312312333", "--fnc1-substitute", "%");

        Assert.Equal(1, exit);
        Assert.Contains("--fnc1-substitute", error, StringComparison.Ordinal);
    }
}
