using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Station;
using SupplyChain.Agent.Tests.Scanners;
using SupplyChain.Contracts.Gs1;
using static SupplyChain.Agent.Tests.Station.StationHarness;

namespace SupplyChain.Agent.Tests.Station;

/// <summary>
/// Barcodes with control characters, ambiguous data or bad check digits at the station (issue #7 item 7): red with
/// the parser's reason, no event in the outbox, the seq not used, and the log line shows control characters escaped
/// (a scanner cannot write terminal escapes or fake lines into the journal).
/// </summary>
public sealed class BadScanTests
{
    [Theory]
    [InlineData("pharmacy", "0109506000134352" + "21S\u00071", Gs1ErrorCode.BadCharacter)]
    [InlineData("pharmacy", "0109506000134352" + "21S\u007f1", Gs1ErrorCode.BadCharacter)]
    [InlineData("pharmacy", "\u001b[2J\u001b[H0109506000134352" + "21S1", Gs1ErrorCode.NotGs1Data)]
    [InlineData("pharmacy", "]d20109506000134352" + "21S1\u0000", Gs1ErrorCode.BadCharacter)]
    [InlineData("pharmacy", "https://id.gs1.org/01/09506000134352/21/S%1B1", Gs1ErrorCode.BadCharacter)]
    [InlineData("pharmacy", "0109506000134352" + "21A" + Gs + "21B", Gs1ErrorCode.DuplicateAi)]
    [InlineData("pharmacy", "(01)09506000134352(21)S1(01)09506000134369", Gs1ErrorCode.DuplicateAi)]
    [InlineData("pharmacy", "09506000134352", Gs1ErrorCode.UnknownAi)]
    [InlineData("pharmacy", "0109506000134353" + "21S1", Gs1ErrorCode.BadCheckDigit)]
    [InlineData("commissioning", "0109506000134352" + "17271231" + "10L\u00081" + Gs + "21C1", Gs1ErrorCode.BadCharacter)]
    [InlineData("commissioning", "0109506000134352" + "17271231" + "10L1" + Gs + "10L2" + Gs + "21C1", Gs1ErrorCode.DuplicateAi)]
    [InlineData("commissioning", "0109506000134352" + "17271331" + "10L1" + Gs + "21C1", Gs1ErrorCode.InvalidDate)]
    public void Handle_BadBarcode_RedWithTheParsersReasonNoEventAndEscapedInTheLog(string role, string scan, Gs1ErrorCode code)
    {
        using var harness = new StationHarness(role);
        var logger = new ListLogger<StationWorkflow>();
        var workflow = new StationWorkflow(harness.Options, harness.Fixture.Outbox, harness.Fixture.Time, logger);
        var parsed = Gs1Parser.Parse(scan, harness.Fixture.Time.GetUtcNow());

        var outcome = workflow.Handle(scan);
        var good = workflow.Handle(role == "pharmacy" ? Pack("P1") : Pack("C1"));

        Assert.Equal(code, parsed.Error?.Code);
        Assert.Equal((Signal.Red, $"unreadable barcode: {parsed.Error!.Message}"), (outcome.Signal, outcome.Reason));
        Assert.Equal(Signal.Green, good.Signal);
        // Only the good scan became an event, at seq 0: the refused one used nothing.
        Assert.Equal(0, Assert.Single(harness.Events()).Device.Seq);
        var line = Assert.Single(logger.Messages, m => m.Contains("refused", StringComparison.Ordinal));
        Assert.DoesNotContain(line, char.IsControl);
    }
}
