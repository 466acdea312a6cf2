using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Epcis;

/// <summary>Paging stays exact while devices keep appending (the token is a log index; the log only grows).</summary>
public sealed class EpcisPagingTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("--Epcis:MaxScan=3")]
    public async Task Events_AppendsBetweenPages_EveryEventExactlyOnce(string? setting)
    {
        await using var hub = await RunningHub.StartAsync(settings: setting is null ? [] : [setting]);
        await using var sites = await ChainSites.EnrolAsync(hub);
        using var auditor = ApiUser.Add(hub, "audrey", "auditor");
        var serial = 0;
        async Task CommissionAsync(int count)
        {
            long last = 0;
            for (var i = 0; i < count; i++)
            {
                last = (await sites.Maker.SendGreenAsync(sites.Maker.Commission($"P{serial++}"))).Index!.Value;
            }

            await EpcisFixture.WaitIntegratedAsync(hub, last);
        }

        await CommissionAsync(7);
        List<long> seen = [];
        long lastSize = 0;
        var pages = 0;
        for (var uri = "/v1/epcis/events?perPage=3&EQ_bizStep=commissioning"; uri is not null; pages++)
        {
            var (document, headers, _) = await EpcisFixture.GetValidAsync(auditor.Http, uri);
            seen.AddRange(EpcisFixture.Indexes(document));
            lastSize = document.GetProperty("ct:logSize").GetInt64();
            uri = headers.TryGetValues("Link", out var links) ? EpcisApiTests.NextLink(Assert.Single(links)) : null;
            if (pages < 3)
            {
                // Hub decisions too land between pages; they are no EPCIS events and are never served.
                await CommissionAsync(2);
                await hub.AppendAndIntegrateAsync(["{\"decision\":\"note\"}"]);
            }
        }

        var log = hub.Service<LogReader>();
        var expected = Enumerable.Range(0, (int)lastSize)
            .Where(i => log.Entry(i)!.Leaf[0] == (byte)LogLeafKind.DeviceEvent)
            .Select(i => (long)i);
        Assert.Equal(expected, seen);
        Assert.True(seen.Count >= 13, $"only {seen.Count} events seen");
        Assert.True(pages >= 5, $"only {pages} pages");
    }

    [Fact]
    public async Task Export_AfterAppends_EveryEventOfTheLogOnce()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        using var auditor = ApiUser.Add(hub, "audrey", "auditor");
        var indexes = await sites.DeliverToPharmacyAsync("X1");
        await EpcisFixture.WaitIntegratedAsync(hub, indexes[^1]);

        var (document, _, content) = await EpcisFixture.GetValidAsync(auditor.Http, "/v1/epcis/export");

        Assert.Equal(indexes, EpcisFixture.Indexes(document));
        Assert.StartsWith("coldtrace-epcis-", content.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
    }
}
