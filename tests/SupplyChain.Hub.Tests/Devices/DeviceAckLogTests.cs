using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Tests.Devices;

public sealed class DeviceAckLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Note_AcceptedAndRejected_LastAcceptanceAndNewestRejectionsFirst()
    {
        // Note alone publishes nothing, so no broker behind it.
        var log = new DeviceAckLog(null!, TimeProvider.System);

        log.Note("dock-1", [EventAck.Accepted("e1", 4, duplicate: false)], T0);
        for (var i = 0; i < DeviceAckLog.KeptRejections + 2; i++)
        {
            log.Note("dock-1", [EventAck.Rejected($"r{i}", RejectReason.ChainGap)], T0.AddMinutes(i + 1));
        }

        var acks = log.Of("dock-1")!;
        Assert.Equal((1L, 7L, T0), (acks.Accepted, acks.Rejected, acks.LastAccepted));
        Assert.Equal(["r6", "r5", "r4", "r3", "r2"], acks.Rejections.Select(r => r.EventId));
        Assert.All(acks.Rejections, r => Assert.Equal(RejectReason.ChainGap, r.Reason));
        Assert.Null(log.Of("dock-2"));
    }
}
