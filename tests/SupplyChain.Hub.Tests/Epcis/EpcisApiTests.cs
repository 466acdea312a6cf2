using System.Net;
using System.Text.Json;
using SupplyChain.Hub.Tests.Custody;

namespace SupplyChain.Hub.Tests.Epcis;

/// <summary>EPCIS 2.0 query and export (docs/API.md "EPCIS 2.0") over a hub holding the events of <see cref="EpcisFixture"/>.</summary>
public sealed class EpcisApiTests(EpcisFixture fixture) : IClassFixture<EpcisFixture>
{
    private const string PharmacyUri = "https://id.gs1.org/414/" + ChainSites.PharmacyGln;

    public static TheoryData<string, string[]> Filters => new()
    {
        { "", ["commission", "maker-ship", "wholesaler-receive", "wholesaler-ship", "pharmacy-receive", "dispense", "report-normal", "report-warm", "report-cold"] },
        { "eventType=ObjectEvent", ["commission", "maker-ship", "wholesaler-receive", "wholesaler-ship", "pharmacy-receive", "dispense", "report-normal", "report-warm", "report-cold"] },
        { "eventType=AggregationEvent|TransactionEvent", [] },
        { "EQ_bizStep=shipping", ["maker-ship", "wholesaler-ship"] },
        { "EQ_bizStep=urn:epcglobal:cbv:bizstep:receiving", ["wholesaler-receive", "pharmacy-receive"] },
        { "EQ_bizStep=https://ref.gs1.org/cbv/BizStep-commissioning|dispensing", ["commission", "dispense"] },
        { "EQ_disposition=in_progress", ["wholesaler-receive", "pharmacy-receive"] },
        { "EQ_disposition=urn:epcglobal:cbv:disp:dispensed", ["dispense"] },
        { "EQ_action=ADD", ["commission"] },
        { "EQ_readPoint=" + PharmacyUri, ["pharmacy-receive", "dispense"] },
        { "EQ_readPoint=" + PharmacyUri + "&EQ_bizStep=receiving", ["pharmacy-receive"] },
        { "EQ_bizLocation=" + PharmacyUri, [] },
        { "MATCH_epc=https://id.gs1.org/01/09506000134352/21/A1", ["commission", "maker-ship", "wholesaler-receive", "wholesaler-ship", "pharmacy-receive", "dispense"] },
        { "MATCH_epc=https://resolver.example.com/01/09506000134352/21/A1&EQ_bizStep=dispensing", ["dispense"] },
        { "MATCH_epc=urn:epc:id:sgtin:9506000.013435.A2", ["commission", "maker-ship", "wholesaler-receive", "wholesaler-ship", "pharmacy-receive"] },
        { "MATCH_epc=urn:epc:idpat:sgtin:9506000.013435.*&EQ_readPoint=" + PharmacyUri, ["pharmacy-receive", "dispense"] },
        { "MATCH_epc=urn:epc:idpat:sgtin:9506000.*.*&EQ_action=ADD", ["commission"] },
        { "MATCH_epc=urn:epc:idpat:sgtin:9506001.*.*", [] },
        { "MATCH_epc=urn:epc:id:sgtin:9506000.013435.A3", [] },
        { "MATCH_epc=" + EpcisFixture.Fridge, ["report-normal", "report-warm", "report-cold"] },
        { "GT_maxValue_CEL=8", ["report-warm"] },
        { "LT_minValue_CEL=2", ["report-cold"] },
        { "GE_maxValue_CEL=5.5", ["report-normal", "report-warm"] },
        { "GT_value_CEL=9", ["report-warm"] },
        { "GT_maxValue_KEL=8", [] },
        { "EQ_type=Temperature", ["report-normal", "report-warm", "report-cold"] },
        { "EQ_type=gs1:Humidity", [] },
        { "GE_eventTime=2026-03-01T08:01:00Z&LT_eventTime=2026-03-01T08:02:00Z", ["maker-ship", "wholesaler-ship", "dispense", "report-warm"] },
        { "GE_eventTime=2026-03-01T09:01:00%2B01:00", ["maker-ship", "wholesaler-ship", "dispense", "report-warm", "report-cold"] },
        { "LT_eventTime=2026-03-01T08:00:00.001Z", ["commission", "wholesaler-receive", "pharmacy-receive", "report-normal"] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Events_Filter_SelectsExactlyTheseEvents(string query, string[] expected)
    {
        var (document, _, _) = await EpcisFixture.GetValidAsync(fixture.Auditor.Http, "/v1/epcis/events?perPage=1000&" + query);

        Assert.Equal([.. expected.Select(fixture.Index).Order()], EpcisFixture.Indexes(document));
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Export_Filter_StreamsExactlyTheseEvents(string query, string[] expected)
    {
        var (document, _, content) = await EpcisFixture.GetValidAsync(fixture.Auditor.Http, "/v1/epcis/export?" + query);

        Assert.Equal("EPCISDocument", document.GetProperty("type").GetString());
        Assert.Equal("attachment", content.ContentDisposition?.DispositionType);
        Assert.Equal([.. expected.Select(fixture.Index).Order()], EpcisFixture.Indexes(document));
    }

    [Fact]
    public async Task Events_Document_IsQueryDocumentWithTheSignedEventsAsLogged()
    {
        var (document, headers, _) = await EpcisFixture.GetValidAsync(fixture.Auditor.Http, "/v1/epcis/events?EQ_bizStep=dispensing");

        Assert.Equal(("EPCISQueryDocument", "2.0"), (document.GetProperty("type").GetString(), document.GetProperty("schemaVersion").GetString()));
        Assert.Equal("SimpleEventQuery", document.GetProperty("epcisBody").GetProperty("queryResults").GetProperty("queryName").GetString());
        Assert.Equal("2.0.0", Assert.Single(headers.GetValues("GS1-EPCIS-Version")));
        Assert.False(headers.Contains("Link"));
        var served = Assert.Single(EpcisFixture.EventList(document));
        var (index, envelope) = fixture.Events["dispense"];
        Assert.Equal(envelope.EventId.ToString(), served.GetProperty("ct:eventId").GetString());
        Assert.Equal(index, served.GetProperty("ct:logIndex").GetInt64());

        // Every other member is the device's, byte for byte as it signed it.
        var signed = JsonDocument.Parse(envelope.Payload).RootElement.GetProperty("epcisBody").GetProperty("eventList")[0];
        var copied = served.EnumerateObject().Where(m => m.Name is not ("ct:eventId" or "ct:logIndex")).Select(m => (m.Name, m.Value.GetRawText()));
        Assert.Equal(signed.EnumerateObject().Select(m => (m.Name, m.Value.GetRawText())), copied);
    }

    [Fact]
    public async Task Events_SmallPages_WalkEveryEventOnceWithLinkNext()
    {
        List<long> seen = [];
        var uri = "/v1/epcis/events?perPage=2&EQ_bizStep=shipping|receiving|commissioning";
        var pages = 0;
        for (; uri is not null; pages++)
        {
            var (document, headers, _) = await EpcisFixture.GetValidAsync(fixture.Auditor.Http, uri);
            seen.AddRange(EpcisFixture.Indexes(document));
            uri = headers.TryGetValues("Link", out var links) ? NextLink(Assert.Single(links)) : null;
        }

        Assert.Equal(3, pages);
        Assert.Equal([.. new[] { "commission", "maker-ship", "wholesaler-receive", "wholesaler-ship", "pharmacy-receive" }.Select(fixture.Index).Order()], seen);
    }

    [Theory]
    [InlineData("perPage=0", "perPage")]
    [InlineData("perPage=1001", "perPage")]
    [InlineData("perPage=ten", "perPage")]
    [InlineData("perPage=5&perPage=6", "perPage")]
    [InlineData("nextPageToken=AAAA", "nextPageToken")]
    [InlineData("nextPageToken=", "nextPageToken")]
    [InlineData("EQ_bizstep=shipping", "EQ_bizstep")]
    [InlineData("colour=blue", "colour")]
    [InlineData("GE_recordTime=2026-03-01T08:00:00Z", "GE_recordTime")]
    [InlineData("WD_readPoint=https://id.gs1.org/414/9506000134383", "WD_readPoint")]
    [InlineData("orderBy=eventTime", "orderBy")]
    [InlineData("eventType=Object", "eventType")]
    [InlineData("EQ_action=MOVE", "EQ_action")]
    [InlineData("GE_eventTime=yesterday", "GE_eventTime")]
    [InlineData("GE_eventTime=2026-03-01T08:00:00", "GE_eventTime")]
    [InlineData("LT_eventTime=2026-03-01T08:00:00Z&LT_eventTime=2026-03-02T08:00:00Z", "LT_eventTime")]
    [InlineData("EQ_readPoint=9506000134383", "EQ_readPoint")]
    [InlineData("MATCH_epc=not a uri", "MATCH_epc")]
    [InlineData("MATCH_epc=urn:epc:id:sgtin:9506000.13435.A1", "MATCH_epc")]
    [InlineData("MATCH_epc=urn:epc:id:sgtin:9506000.013435.*", "MATCH_epc")]
    [InlineData("MATCH_epc=urn:epc:id:grai:9506000.12345.1", "MATCH_epc")]
    [InlineData("GT_maxValue_CEL=warm", "GT_maxValue_CEL")]
    [InlineData("GT_maxValue_CEL=1e3", "GT_maxValue_CEL")]
    [InlineData("EQ_bizStep=shipping||receiving", "EQ_bizStep")]
    public async Task Events_BadParameter_400NamingIt(string query, string parameter)
    {
        using var response = await fixture.Auditor.Http.GetAsync("/v1/epcis/events?" + query);
        var problem = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(parameter, JsonDocument.Parse(problem).RootElement.GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("perPage=10")]
    [InlineData("nextPageToken=AQAAAAAAAAAA")]
    public async Task Export_PagingParameter_400(string query)
    {
        using var response = await fixture.Auditor.Http.GetAsync("/v1/epcis/export?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Events_TokenOfAnotherQueryOrEdited_400()
    {
        var (_, headers, _) = await EpcisFixture.GetValidAsync(fixture.Auditor.Http, "/v1/epcis/events?perPage=1&EQ_bizStep=shipping");
        var next = NextLink(Assert.Single(headers.GetValues("Link")));
        var token = next[(next.IndexOf("nextPageToken=", StringComparison.Ordinal) + "nextPageToken=".Length)..];
        var edited = (token[5] == 'A' ? 'B' : 'A') is var c ? token[..5] + c + token[6..] : token;

        using var otherQuery = await fixture.Auditor.Http.GetAsync("/v1/epcis/events?perPage=1&EQ_bizStep=receiving&nextPageToken=" + token);
        using var editedToken = await fixture.Auditor.Http.GetAsync("/v1/epcis/events?perPage=1&EQ_bizStep=shipping&nextPageToken=" + edited);
        using var samePage = await fixture.Auditor.Http.GetAsync("/v1/epcis/events?perPage=5&EQ_bizStep=shipping&nextPageToken=" + token);

        Assert.Equal(HttpStatusCode.BadRequest, otherQuery.StatusCode);
        Assert.Contains("other filters", await otherQuery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, editedToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, samePage.StatusCode);
    }

    [Theory]
    [InlineData("/v1/epcis/events")]
    [InlineData("/v1/epcis/export")]
    public async Task Epcis_NoToken_401(string uri)
    {
        using var response = await fixture.Hub.Http.GetAsync(uri);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("pharmacist")]
    [InlineData("warehouse")]
    [InlineData("quality")]
    [InlineData("admin")]
    public async Task Events_AnyRole_200(string role)
    {
        using var user = Users.ApiUser.Add(fixture.Hub, "user-" + role, role);

        var (document, _, _) = await EpcisFixture.GetValidAsync(user.Http, "/v1/epcis/events?EQ_action=ADD");

        Assert.Single(EpcisFixture.EventList(document));
    }

    internal static string NextLink(string link)
    {
        // RFC 8288: <uri>; rel="next"
        Assert.EndsWith(">; rel=\"next\"", link, StringComparison.Ordinal);
        return link[1..link.IndexOf('>', StringComparison.Ordinal)];
    }
}
