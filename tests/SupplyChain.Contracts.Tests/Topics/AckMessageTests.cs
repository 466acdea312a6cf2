using System.Text;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Contracts.Tests.Topics;

public sealed class AckMessageTests
{
    private const string Id = "7b50ef484e5e0be101e631e53809660e1143b68f7dee6547eb79de2519f390a1";

    [Fact]
    public void Encode_AcceptedAndRejected_PinnedJson()
    {
        var message = new AckMessage
        {
            Acks =
            [
                EventAck.Accepted(Id, 12, duplicate: false),
                EventAck.Rejected(Id, RejectReason.BadEvent, "BadTime"),
                EventAck.Rejected(null, RejectReason.MalformedEnvelope),
            ],
        };

        var json = Encoding.UTF8.GetString(AckMessage.Encode(message));

        Assert.Equal(
            $$"""{"acks":[{"eventId":"{{Id}}","status":"accepted","index":12,"verdict":"accepted","duplicate":false},{"eventId":"{{Id}}","status":"rejected","reason":"bad_event","detail":"BadTime"},{"status":"rejected","reason":"malformed_envelope"}]}""",
            json);
    }

    [Fact]
    public void TryDecode_EncodedMessage_RoundTrips()
    {
        var message = new AckMessage { Acks = [EventAck.Accepted(Id, 3, duplicate: true), EventAck.Rejected(Id, RejectReason.ChainGap)] };

        Assert.True(AckMessage.TryDecode(AckMessage.Encode(message), out var decoded));

        Assert.Equal(message.Acks, decoded!.Acks);
    }

    [Fact]
    public void TryDecode_UnknownMembers_Ignored()
    {
        Assert.True(AckMessage.TryDecode("""{"acks":[{"status":"accepted","index":1,"future":true}],"hub":"x"}"""u8, out var decoded));

        Assert.Equal(1, Assert.Single(decoded!.Acks).Index);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"acks\":[{\"status\":\"maybe\"}]}")]
    [InlineData("{\"acks\":[{\"index\":1}]}")]
    [InlineData("[]")]
    [InlineData("{\"acks\":[],\"\\ud800\":1,\"\\udc00\":2}")]
    [InlineData("{\"acks\":[{\"status\":\"accepted\",\"\\ud800\":1,\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11}]}")]
    [InlineData("{\"acks\":[{\"status\":\"accepted\",\"eventId\":\"\\ud800\"}]}")]
    public void TryDecode_NotAnAckMessage_False(string json)
    {
        Assert.False(AckMessage.TryDecode(Encoding.UTF8.GetBytes(json), out var decoded));
        Assert.Null(decoded);
    }
}
